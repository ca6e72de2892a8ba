package dev.backprop.benchmarks;

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
}
