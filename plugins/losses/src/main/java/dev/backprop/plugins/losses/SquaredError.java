package dev.backprop.plugins.losses;

import dev.backprop.api.LossFunction;
import dev.backprop.api.LossFunctionProvider;
import dev.backprop.api.PluginParameters;

/**
 * The squared error {@code E = 1/2 sum_k (t_k - o_k)^2} per example, with
 * {@code dE/do_k = o_k - t_k} (docs/derivation.md §3).
 */
public final class SquaredError implements LossFunction {

    @Override
    public double loss(double[] output, double[] target, int rows, int cols) {
        double sum = 0;
        for (int i = 0, n = rows * cols; i < n; i++) {
            double diff = target[i] - output[i];
            sum += diff * diff;
        }
        return 0.5 * sum;
    }

    @Override
    public void gradient(double[] output, double[] target, double[] gradient, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) {
            gradient[i] = output[i] - target[i];
        }
    }

    /** Provides {@code squared-error}. */
    public static final class Provider implements LossFunctionProvider {
        @Override
        public String name() {
            return "squared-error";
        }

        @Override
        public String description() {
            return "1/2 sum (t - o)^2 per example";
        }

        @Override
        public LossFunction create(PluginParameters parameters) {
            return new SquaredError();
        }
    }
}
