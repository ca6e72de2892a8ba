package dev.backprop.plugins.activations;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.ElementwiseActivation;
import dev.backprop.api.ExportableActivation;
import dev.backprop.api.PluginParameters;
import java.util.List;

/** The logistic function {@code 1 / (1 + e^-x)} (docs/derivation.md §5), with {@code f' = y (1 - y)}. */
public final class Sigmoid extends ElementwiseActivation implements ExportableActivation {

    @Override
    public double apply(double net) {
        // Two forms so that exp never overflows: both are exact rewritings of 1 / (1 + e^-x).
        if (net >= 0) {
            return 1.0 / (1.0 + Math.exp(-net));
        }
        double e = Math.exp(net);
        return e / (1.0 + e);
    }

    @Override
    public double derivative(double net, double out) {
        return out * (1.0 - out);
    }

    // Own loops rather than the inherited ones: the inherited loop's call to apply() is shared by every
    // element-wise activation, so the JIT cannot inline it once several are in use.
    @Override
    public void forward(double[] net, double[] out, int rows, int cols) {
        int n = rows * cols;
        for (int i = 0; i < n; i++) {
            double x = net[i];
            out[i] = x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
        }
    }

    @Override
    public void backward(double[] net, double[] out, double[] gradOut, double[] gradNet, int rows, int cols) {
        int n = rows * cols;
        for (int i = 0; i < n; i++) {
            double y = out[i];
            gradNet[i] = y * (1.0 - y) * gradOut[i];
        }
    }

    /** Exported as the ONNX operator {@code Sigmoid}. */
    @Override
    public List<Step> exportSteps() {
        return List.of(Step.of("Sigmoid"));
    }

    /** Provides {@code sigmoid}. */
    public static final class Provider implements ActivationProvider {
        @Override
        public String name() {
            return "sigmoid";
        }

        @Override
        public String description() {
            return "logistic function 1/(1+e^-x), range (0, 1)";
        }

        @Override
        public Activation create(PluginParameters parameters) {
            return new Sigmoid();
        }
    }
}
