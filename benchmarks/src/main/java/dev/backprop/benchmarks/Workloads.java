package dev.backprop.benchmarks;

import dev.backprop.core.Backprop;
import dev.backprop.core.network.DenseLayer;
import dev.backprop.core.network.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Seeded random data of the benchmark shapes. */
final class Workloads {
    private Workloads() {
    }

    /** Inputs in [0, 1), one-hot targets of {@code classes} classes, class labels alongside. */
    record Data(double[][] inputs, double[][] targets, int[] labels) {
    }

    static Data random(int examples, int inputs, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[examples][inputs];
        double[][] y = new double[examples][classes];
        int[] labels = new int[examples];
        for (int r = 0; r < examples; r++) {
            for (int c = 0; c < inputs; c++) {
                x[r][c] = random.nextDouble();
            }
            labels[r] = random.nextInt(classes);
            y[r][labels[r]] = 1.0;
        }
        return new Data(x, y, labels);
    }

    /** Weights per example of a fully connected stack of the given widths (biases included). */
    static long weights(int... widths) {
        long count = 0;
        for (int i = 1; i < widths.length; i++) {
            count += (long) widths[i - 1] * widths[i] + widths[i];
        }
        return count;
    }

    /** Workload A's data: 1,797 examples of 64 inputs, 10 classes. */
    static Data digits() {
        return random(1797, 64, 10, 1);
    }

    /** Workload B's data: 10,000 examples of 784 inputs, 10 classes. */
    static Data mnist() {
        return random(10_000, 784, 10, 2);
    }

    /** Workload A's network, 64 -> 32 sigmoid -> 10 sigmoid, seeded: the initial weights every peer copies. */
    static Network digitsNetwork(Backprop backprop) {
        return backprop.network(64).dense(32).activation("sigmoid").dense(10).activation("sigmoid").seed(3).build();
    }

    /**
     * Workload B with tanh hidden layers, 784 -> 256 tanh -> 128 tanh -> 10 sigmoid, Xavier-uniform and
     * seeded: the initial weights every peer copies.
     */
    static Network tanhNetwork(Backprop backprop) {
        return backprop.network(784).dense(256, true, "xavier-uniform", Map.of()).activation("tanh")
                .dense(128, true, "xavier-uniform", Map.of()).activation("tanh")
                .dense(10, true, "xavier-uniform", Map.of()).activation("sigmoid").seed(3).build();
    }

    /** Each dense layer of {@code network} in order, as its weights ({@code out x in}) and bias. */
    static List<DenseLayer> denseLayers(Network network) {
        List<DenseLayer> dense = new ArrayList<>();
        for (var layer : network.layers()) {
            if (layer instanceof DenseLayer d) {
                dense.add(d);
            }
        }
        return dense;
    }

    /** Half the summed squared error per example of {@code outputs} against {@code targets}. */
    static double squaredError(double[][] outputs, double[][] targets) {
        double sum = 0;
        for (int r = 0; r < outputs.length; r++) {
            for (int c = 0; c < outputs[r].length; c++) {
                double e = targets[r][c] - outputs[r][c];
                sum += e * e;
            }
        }
        return sum / 2 / outputs.length;
    }
}
