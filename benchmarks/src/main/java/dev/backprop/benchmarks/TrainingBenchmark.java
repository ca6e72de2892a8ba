package dev.backprop.benchmarks;

import dev.backprop.core.Backprop;
import dev.backprop.core.network.Network;
import dev.backprop.core.network.NetworkBuilder;
import dev.backprop.core.training.Dataset;
import dev.backprop.core.training.Trainer;
import java.util.Map;
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
 * Training throughput of this SDK. One benchmark operation is one epoch over the workload's examples.
 * <ul>
 *   <li>Workload A ({@code digits}): 64 -> 32 sigmoid -> 10 sigmoid, squared error, SGD 0.01, batch 1,
 *       1797 examples.</li>
 *   <li>Workload B ({@code mnist-tanh}): 784 -> 256 tanh -> 128 tanh -> 10 sigmoid, squared error, SGD
 *       0.01, batch 32 or 128, 10,000 examples; the same data and initial weights as the peers'.</li>
 *   <li>Workload B with ReLU ({@code mnist-mse}, {@code mnist-ce}): 784 -> 256 relu -> 128 relu -> 10,
 *       sigmoid with squared error or softmax with cross-entropy.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Thread)
public class TrainingBenchmark {

    /** Which workload, and its batch size. */
    // Also available with -p workload=...: mnist-mse:32, mnist-mse:128, mnist-ce:32, mnist-ce:128.
    @Param({"digits:1", "mnist-tanh:32", "mnist-tanh:128"})
    public String workload;

    /** Threads the kernels may use. */
    @Param({"2", "1"})
    public int threads;

    private Network network;
    private Trainer trainer;
    private Dataset data;
    private long flopsPerExample;

    /** Builds the network, the trainer and the data. */
    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = workload.split(":");
        int batch = Integer.parseInt(parts[1]);
        Backprop backprop = Backprop.create();
        NetworkBuilder builder;
        Workloads.Data raw;
        String loss;
        builder = null;
        if (parts[0].equals("digits")) {
            raw = Workloads.digits();
            network = Workloads.digitsNetwork(backprop);
            loss = "squared-error";
            flopsPerExample = 6 * Workloads.weights(64, 32, 10);
        } else if (parts[0].equals("mnist-tanh")) {
            raw = Workloads.mnist();
            network = Workloads.tanhNetwork(backprop);
            loss = "squared-error";
            flopsPerExample = 6 * Workloads.weights(784, 256, 128, 10);
        } else {
            raw = Workloads.random(10_000, 784, 10, 2);
            builder = backprop.network(784).dense(256, true, "he-uniform", Map.of()).activation("relu")
                    .dense(128, true, "he-uniform", Map.of()).activation("relu").dense(10);
            boolean ce = parts[0].equals("mnist-ce");
            builder.activation(ce ? "softmax" : "sigmoid");
            loss = ce ? "cross-entropy" : "squared-error";
            flopsPerExample = 6 * Workloads.weights(784, 256, 128, 10);
        }
        if (builder != null) {
            network = builder.seed(3).build();
        }
        data = Dataset.of(raw.inputs(), raw.targets());
        trainer = backprop.trainer().loss(loss).optimizer("sgd", Map.of("learning-rate", 0.01))
                .epochs(1).batchSize(batch).shuffle(true).seed(4)
                .threads(threads).build();
    }

    /**
     * @param counters examples and FLOPs per second
     * @return the network, so the work is not optimised away
     */
    @Benchmark
    public Object epoch(Counters counters) {
        trainer.fit(network, data);
        counters.add(data.size(), flopsPerExample);
        return network;
    }
}
