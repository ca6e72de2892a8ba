package dev.backprop.benchmarks;

import java.util.concurrent.TimeUnit;
import org.encog.engine.network.activation.ActivationLinear;
import org.encog.engine.network.activation.ActivationReLU;
import org.encog.engine.network.activation.ActivationSigmoid;
import org.encog.engine.network.activation.ActivationSoftMax;
import org.encog.ml.data.basic.BasicMLDataSet;
import org.encog.neural.networks.BasicNetwork;
import org.encog.neural.networks.layers.BasicLayer;
import org.encog.neural.networks.training.propagation.back.Backpropagation;
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
import smile.base.mlp.Layer;
import smile.base.mlp.OutputFunction;
import smile.classification.MLP;
import smile.math.TimeFunction;

/**
 * The same workloads as {@link TrainingBenchmark} on Encog 3.4 ({@code Backpropagation}, momentum 0,
 * its default thread count) and Smile 3.1.1 ({@code MLP} with constant learning rate 0.01, momentum 0).
 * One operation is one epoch. Neither peer lets the initial weights be set through its public API in a
 * way that matches ours, so each starts from its own random weights; the time per epoch does not depend
 * on the weights except through ReLU sparsity.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Thread)
public class PeerTrainingBenchmark {

    /** Peer, workload and batch size. */
    @Param({"encog:digits:1", "encog:mnist-mse:32", "encog:mnist-mse:128", "encog:mnist-ce:32", "encog:mnist-ce:128",
        "smile:digits:1", "smile:mnist-mse:32", "smile:mnist-mse:128", "smile:mnist-ce:32", "smile:mnist-ce:128"})
    public String workload;

    private Runnable epoch;
    private int examples;
    private long flopsPerExample;

    /** Builds the peer's network and trainer. */
    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = workload.split(":");
        boolean digits = parts[1].equals("digits");
        boolean crossEntropy = parts[1].equals("mnist-ce");
        int batch = Integer.parseInt(parts[2]);
        Workloads.Data data = digits ? Workloads.random(1797, 64, 10, 1) : Workloads.random(10_000, 784, 10, 2);
        examples = data.inputs().length;
        flopsPerExample = 6 * (digits ? Workloads.weights(64, 32, 10) : Workloads.weights(784, 256, 128, 10));
        if (parts[0].equals("encog")) {
            BasicNetwork network = new BasicNetwork();
            if (digits) {
                network.addLayer(new BasicLayer(new ActivationLinear(), true, 64));
                network.addLayer(new BasicLayer(new ActivationSigmoid(), true, 32));
                network.addLayer(new BasicLayer(new ActivationSigmoid(), false, 10));
            } else {
                network.addLayer(new BasicLayer(new ActivationLinear(), true, 784));
                network.addLayer(new BasicLayer(new ActivationReLU(), true, 256));
                network.addLayer(new BasicLayer(new ActivationReLU(), true, 128));
                network.addLayer(new BasicLayer(crossEntropy ? new ActivationSoftMax() : new ActivationSigmoid(), false, 10));
            }
            network.getStructure().finalizeStructure();
            network.reset(3);
            Backpropagation train = new Backpropagation(network, new BasicMLDataSet(data.inputs(), data.targets()), 0.01, 0.0);
            train.setBatchSize(batch);
            epoch = train::iteration;
        } else {
            MLP mlp = digits
                    ? new MLP(Layer.input(64), Layer.sigmoid(32), Layer.mse(10, OutputFunction.SIGMOID))
                    : new MLP(Layer.input(784), Layer.rectifier(256), Layer.rectifier(128),
                            crossEntropy ? Layer.mle(10, OutputFunction.SOFTMAX) : Layer.mse(10, OutputFunction.SIGMOID));
            mlp.setLearningRate(TimeFunction.constant(0.01));
            mlp.setMomentum(TimeFunction.constant(0.0));
            double[][] x = data.inputs();
            int[] y = data.labels();
            if (batch == 1) {
                epoch = () -> {
                    for (int i = 0; i < x.length; i++) {
                        mlp.update(x[i], y[i]);
                    }
                };
            } else {
                epoch = () -> {
                    for (int from = 0; from < x.length; from += batch) {
                        int to = Math.min(x.length, from + batch);
                        mlp.update(java.util.Arrays.copyOfRange(x, from, to), java.util.Arrays.copyOfRange(y, from, to));
                    }
                };
            }
        }
    }

    /**
     * @param counters examples and FLOPs per second
     */
    @Benchmark
    public void epoch(Counters counters) {
        epoch.run();
        counters.add(examples, flopsPerExample);
    }
}
