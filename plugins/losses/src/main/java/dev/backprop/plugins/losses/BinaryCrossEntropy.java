package dev.backprop.plugins.losses;

import dev.backprop.api.LossFunction;
import dev.backprop.api.LossFunctionProvider;
import dev.backprop.api.PluginParameters;

/**
 * Binary cross-entropy {@code E = -sum_k [t_k ln o_k + (1 - t_k) ln(1 - o_k)]} per example, for sigmoid
 * outputs, with {@code dE/do_k = (o_k - t_k) / (o_k (1 - o_k))}. Outputs are kept in
 * {@code [FLOOR, 1 - FLOOR]} in both the loss and its derivative, so the loss stays finite.
 */
public final class BinaryCrossEntropy implements LossFunction {
    /** How close to 0 or 1 an output may come inside the logarithms. */
    public static final double FLOOR = 1e-15;

    private static double clamp(double o) {
        return Math.min(Math.max(o, FLOOR), 1.0 - FLOOR);
    }

    @Override
    public double loss(double[] output, double[] target, int rows, int cols) {
        double sum = 0;
        for (int i = 0, n = rows * cols; i < n; i++) {
            double o = clamp(output[i]);
            double t = target[i];
            sum -= t * Math.log(o) + (1.0 - t) * Math.log1p(-o);
        }
        return sum;
    }

    @Override
    public void gradient(double[] output, double[] target, double[] gradient, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) {
            double o = clamp(output[i]);
            gradient[i] = (o - target[i]) / (o * (1.0 - o));
        }
    }

    /** Provides {@code binary-cross-entropy}. */
    public static final class Provider implements LossFunctionProvider {
        @Override
        public String name() {
            return "binary-cross-entropy";
        }

        @Override
        public String description() {
            return "-sum [t ln o + (1-t) ln(1-o)], for sigmoid outputs";
        }

        @Override
        public LossFunction create(PluginParameters parameters) {
            return new BinaryCrossEntropy();
        }
    }
}
