package dev.backprop.benchmarks;

import dev.backprop.core.Backprop;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workloads A and B (tanh) on DL4J 1.0.0-M2.1, float64, from our initial weights and data; one operation
 * is one epoch. Run with {@code OMP_NUM_THREADS=1} (one OpenBLAS/OpenMP thread, DL4J's fastest setting on
 * two cores). Built only with {@code -P peers-native}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class Dl4jTrainingBenchmark {

    /** Workload and batch size. */
    @Param({"dl4j:digits:1", "dl4j:mnist-tanh:32", "dl4j:mnist-tanh:128"})
    public String workload;

    private Dl4jPeer peer;
    private int examples;
    private long flopsPerExample;

    /** Builds the network from our initial weights. */
    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = workload.split(":");
        boolean digits = parts[1].equals("digits");
        Workloads.Data data = digits ? Workloads.digits() : Workloads.mnist();
        Backprop backprop = Backprop.create();
        peer = new Dl4jPeer(digits ? Workloads.digitsNetwork(backprop) : Workloads.tanhNetwork(backprop), !digits, data,
                Integer.parseInt(parts[2]), 0.01);
        examples = data.inputs().length;
        flopsPerExample = 6 * (digits ? Workloads.weights(64, 32, 10) : Workloads.weights(784, 256, 128, 10));
    }

    /**
     * @param counters examples and FLOPs per second
     * @return the network
     */
    @Benchmark
    public Object epoch(Counters counters) {
        peer.epoch();
        counters.add(examples, flopsPerExample);
        return peer.network;
    }
}
