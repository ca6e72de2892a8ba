package dev.backprop.core.linalg;

import dev.backprop.api.TrainableParameter;
import dev.backprop.core.Backprop;
import dev.backprop.core.network.Network;
import dev.backprop.core.training.Dataset;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Run in a fresh JVM by {@link KernelPathsTest}: prints which kernels that JVM chose and, with the argument
 * {@code train}, a hash of the weights after per-example and mini-batch training.
 */
public final class KernelProbe {
    private KernelProbe() {
    }

    /** @param args {@code train} to train and print the weights' hash */
    public static void main(String[] args) {
        System.out.println("kernels: " + Kernels.implementation());
        if (args.length > 0 && args[0].equals("train")) {
            System.out.println("weights: " + trainedWeightsHash());
        }
    }

    /** 100 -> 64 tanh -> 48 tanh -> 10 sigmoid, seeded (the network {@link KernelPathsTest} trains too). */
    static Network network(Backprop backprop) {
        return backprop.network(100).dense(64, true, "xavier-uniform", Map.of()).activation("tanh")
                .dense(48, true, "xavier-uniform", Map.of()).activation("tanh").dense(10).activation("sigmoid").seed(8).build();
    }

    /** 200 seeded random examples of 100 inputs, each with one of 10 classes. */
    static Dataset data() {
        SplittableRandom random = new SplittableRandom(17);
        double[][] x = new double[200][100];
        double[][] y = new double[200][10];
        for (int r = 0; r < x.length; r++) {
            for (int c = 0; c < 100; c++) {
                x[r][c] = random.nextDouble();
            }
            y[r][random.nextInt(10)] = 1;
        }
        return Dataset.of(x, y);
    }

    /** The weights' hash after one epoch at batch 1 and one at batch 33 (a last batch of 2 rows). */
    static long trainedWeightsHash() {
        Backprop backprop = Backprop.create();
        Network network = network(backprop);
        Dataset data = data();
        for (int batch : new int[] {1, 33}) {
            backprop.trainer().loss("squared-error").optimizer("sgd", Map.of("learning-rate", 0.05)).epochs(1).batchSize(batch)
                    .seed(3).build().fit(network, data);
        }
        long hash = 17;
        for (TrainableParameter p : network.parameters()) {
            for (double v : p.values()) {
                hash = hash * 31 + Double.doubleToRawLongBits(v);
            }
        }
        return hash;
    }
}
