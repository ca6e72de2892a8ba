package dev.backprop.plugins.losses;

import dev.backprop.api.LossFunction;
import dev.backprop.api.LossFunctionProvider;
import dev.backprop.api.PluginParameters;

/**
 * Categorical cross-entropy {@code E = -sum_k t_k ln o_k} per example, for probability outputs such as
 * softmax's, with {@code dE/do_k = -t_k / o_k}. Outputs below {@link #FLOOR} are raised to it in both the
 * loss and its derivative, so a confidently wrong output gives a large finite loss, not infinity.
 */
public final class CrossEntropy implements LossFunction {
    /** The smallest output used inside the logarithm. */
    public static final double FLOOR = 1e-15;

    @Override
    public double loss(double[] output, double[] target, int rows, int cols) {
        double sum = 0;
        for (int i = 0, n = rows * cols; i < n; i++) {
            if (target[i] != 0) {
                sum -= target[i] * Math.log(Math.max(output[i], FLOOR));
            }
        }
        return sum;
    }

    @Override
    public void gradient(double[] output, double[] target, double[] gradient, int rows, int cols) {
        for (int i = 0, n = rows * cols; i < n; i++) {
            gradient[i] = target[i] == 0 ? 0.0 : -target[i] / Math.max(output[i], FLOOR);
        }
    }

    /** Provides {@code cross-entropy}. */
    public static final class Provider implements LossFunctionProvider {
        @Override
        public String name() {
            return "cross-entropy";
        }

        @Override
        public String description() {
            return "categorical cross-entropy -sum t ln o, for softmax outputs";
        }

        @Override
        public LossFunction create(PluginParameters parameters) {
            return new CrossEntropy();
        }
    }
}
