package dev.backprop.benchmarks;

import dev.backprop.core.Backprop;
import dev.backprop.core.network.Network;
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

/** Inference on workload B's network (784 -> 256 tanh -> 128 tanh -> 10 sigmoid), batch 1 and 256, on one thread. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Thread)
public class InferenceBenchmark {

    /** Examples per call. */
    @Param({"1", "256"})
    public int batch;

    private Network network;
    private double[][] inputs;
    private long flopsPerExample;

    /** Builds the network and the inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        network = Workloads.tanhNetwork(Backprop.create());
        inputs = Workloads.random(batch, 784, 10, 6).inputs();
        flopsPerExample = 2 * Workloads.weights(784, 256, 128, 10);
    }

    /**
     * @param counters examples and FLOPs per second
     * @return the outputs
     */
    @Benchmark
    public Object predict(Counters counters) {
        Object out = batch == 1 ? network.predict(inputs[0]) : network.predict(inputs);
        counters.add(batch, flopsPerExample);
        return out;
    }
}
