package dev.backprop.benchmarks;

import dev.backprop.api.LossFunction;
import dev.backprop.api.Optimizer;
import dev.backprop.core.Backprop;
import dev.backprop.core.network.Backpropagation;
import dev.backprop.core.network.Network;
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
 * One training step (forward, backward, SGD update) on a fixed batch, to measure the time and, with
 * {@code -prof gc}, the allocation of a step alone, without the per-run setup that {@link TrainingBenchmark}
 * includes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Thread)
public class StepBenchmark {

    /** Workload and batch size, as in {@link TrainingBenchmark}. */
    // Also available with -p workload=...: mnist-mse:32, mnist-ce:128.
    @Param({"digits:1", "mnist-tanh:32", "mnist-tanh:128"})
    public String workload;

    /** Threads the kernels may use. */
    @Param({"1", "2"})
    public int threads;

    private Backpropagation pass;
    private Optimizer optimizer;
    private LossFunction loss;
    private double[] x;
    private double[] t;
    private int rows;
    private long seed;

    /** Builds the network, the pass and one batch. */
    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = workload.split(":");
        rows = Integer.parseInt(parts[1]);
        Backprop backprop = Backprop.create();
        Network network;
        Workloads.Data data;
        if (parts[0].equals("digits")) {
            network = backprop.network(64).dense(32).activation("sigmoid").dense(10).activation("sigmoid").seed(3).build();
            data = Workloads.random(rows, 64, 10, 1);
            loss = backprop.plugins().createLoss("squared-error", Map.of());
        } else if (parts[0].equals("mnist-tanh")) {
            network = Workloads.tanhNetwork(backprop);
            data = Workloads.random(rows, 784, 10, 2);
            loss = backprop.plugins().createLoss("squared-error", Map.of());
        } else {
            boolean ce = parts[0].equals("mnist-ce");
            network = backprop.network(784).dense(256, true, "he-uniform", Map.of()).activation("relu")
                    .dense(128, true, "he-uniform", Map.of()).activation("relu").dense(10).activation(ce ? "softmax" : "sigmoid")
                    .seed(3).build();
            data = Workloads.random(rows, 784, 10, 2);
            loss = backprop.plugins().createLoss(ce ? "cross-entropy" : "squared-error", Map.of());
        }
        x = new double[rows * network.inputSize()];
        t = new double[rows * network.outputSize()];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(data.inputs()[r], 0, x, r * network.inputSize(), network.inputSize());
            System.arraycopy(data.targets()[r], 0, t, r * network.outputSize(), network.outputSize());
        }
        pass = new Backpropagation(network, rows, threads);
        optimizer = backprop.plugins().createOptimizer("sgd", Map.of("learning-rate", 0.001));
        optimizer.bind(network.parameters());
    }

    /** @return the batch loss */
    @Benchmark
    public double step() {
        double loss = pass.meanGradient(x, t, rows, this.loss, seed++);
        optimizer.step();
        return loss;
    }
}
