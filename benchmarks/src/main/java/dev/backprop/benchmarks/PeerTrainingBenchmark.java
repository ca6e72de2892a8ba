package dev.backprop.benchmarks;

import dev.backprop.core.Backprop;
import dev.backprop.core.network.DenseLayer;
import dev.backprop.core.network.Network;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.encog.engine.network.activation.ActivationFunction;
import org.encog.engine.network.activation.ActivationLinear;
import org.encog.engine.network.activation.ActivationReLU;
import org.encog.engine.network.activation.ActivationSigmoid;
import org.encog.engine.network.activation.ActivationSoftMax;
import org.encog.engine.network.activation.ActivationTANH;
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
 * The same workloads as {@link TrainingBenchmark} on Encog 3.4 ({@code Backpropagation}, momentum 0, no
 * flat-spot fix, its default thread count) and Smile 3.1.1 ({@code MLP} with constant learning rate 0.01,
 * momentum 0). One operation is one epoch, on the same data as ours. Encog starts workloads A and
 * {@code mnist-tanh} from our initial weights and, as it sums a batch's gradients instead of averaging
 * them, trains with 0.01 divided by the batch size: the same arithmetic as ours. Smile's API does not set
 * initial weights, so it starts from its own.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Thread)
public class PeerTrainingBenchmark {

    /** Peer, workload and batch size. */
    // Also available with -p workload=...: {encog,smile}:{mnist-mse,mnist-ce}:{32,128}, smile:mnist-tanh:128.
    @Param({"encog:digits:1", "smile:digits:1", "encog:mnist-tanh:32", "smile:mnist-tanh:32", "encog:mnist-tanh:128"})
    public String workload;

    private Runnable epoch;
    private int examples;
    private long flopsPerExample;

    /** Builds the peer's network and trainer. */
    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = workload.split(":");
        boolean digits = parts[1].equals("digits");
        boolean tanh = parts[1].equals("mnist-tanh");
        boolean crossEntropy = parts[1].equals("mnist-ce");
        int batch = Integer.parseInt(parts[2]);
        Workloads.Data data = digits ? Workloads.digits() : Workloads.mnist();
        examples = data.inputs().length;
        flopsPerExample = 6 * (digits ? Workloads.weights(64, 32, 10) : Workloads.weights(784, 256, 128, 10));
        if (parts[0].equals("encog") && (digits || tanh)) {
            Backprop backprop = Backprop.create();
            Network ours = digits ? Workloads.digitsNetwork(backprop) : Workloads.tanhNetwork(backprop);
            Backpropagation train = encog(ours, tanh, data, batch);
            epoch = train::iteration;
        } else if (parts[0].equals("encog")) {
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
                    : tanh ? new MLP(Layer.input(784), Layer.tanh(256), Layer.tanh(128), Layer.mse(10, OutputFunction.SIGMOID))
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

    /**
     * An Encog network and trainer with {@code ours}' layer sizes, activations (sigmoid or tanh hidden,
     * sigmoid output) and initial weights, training with the same arithmetic as our SGD 0.01.
     */
    static Backpropagation encog(Network ours, boolean tanh, Workloads.Data data, int batch) {
        List<DenseLayer> dense = Workloads.denseLayers(ours);
        BasicNetwork network = new BasicNetwork();
        network.addLayer(new BasicLayer(new ActivationLinear(), true, ours.inputSize()));
        for (int l = 0; l < dense.size(); l++) {
            boolean last = l == dense.size() - 1;
            ActivationFunction f = last || !tanh ? new ActivationSigmoid() : new ActivationTANH();
            network.addLayer(new BasicLayer(f, !last, dense.get(l).outputSize()));
        }
        network.getStructure().finalizeStructure();
        for (int l = 0; l < dense.size(); l++) {
            DenseLayer layer = dense.get(l);
            double[][] w = layer.weights();
            double[] b = layer.bias();
            for (int j = 0; j < layer.outputSize(); j++) {
                for (int i = 0; i < layer.inputSize(); i++) {
                    network.setWeight(l, i, j, w[j][i]);
                }
                network.setWeight(l, layer.inputSize(), j, b[j]); // the bias neuron comes after the inputs
            }
        }
        // Encog adds up a batch's gradients; dividing the rate by the batch size makes it the mean.
        Backpropagation train = new Backpropagation(network, new BasicMLDataSet(data.inputs(), data.targets()), 0.01 / batch, 0.0);
        train.setBatchSize(batch);
        train.fixFlatSpot(false);
        return train;
    }
}
