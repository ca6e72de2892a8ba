package dev.backprop.plugins.activations;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.ElementwiseActivation;
import dev.backprop.api.ExportableActivation;
import dev.backprop.api.PluginParameters;
import java.util.List;

/** The hyperbolic tangent (docs/derivation.md §5), range (-1, 1), with {@code f' = 1 - y^2}. */
public final class Tanh extends ElementwiseActivation implements ExportableActivation {

    @Override
    public double apply(double net) {
        return Math.tanh(net);
    }

    @Override
    public double derivative(double net, double out) {
        return 1.0 - out * out;
    }

    // Own loops rather than the inherited ones: the inherited loop's call to apply() is shared by every
    // element-wise activation, so the JIT cannot inline it once several are in use.
    @Override
    public void forward(double[] net, double[] out, int rows, int cols) {
        int n = rows * cols;
        for (int i = 0; i < n; i++) {
            out[i] = Math.tanh(net[i]);
        }
    }

    @Override
    public void backward(double[] net, double[] out, double[] gradOut, double[] gradNet, int rows, int cols) {
        int n = rows * cols;
        for (int i = 0; i < n; i++) {
            double y = out[i];
            gradNet[i] = (1.0 - y * y) * gradOut[i];
        }
    }

    /** Exported as the ONNX operator {@code Tanh}. */
    @Override
    public List<Step> exportSteps() {
        return List.of(Step.of("Tanh"));
    }

    /** Provides {@code tanh}. */
    public static final class Provider implements ActivationProvider {
        @Override
        public String name() {
            return "tanh";
        }

        @Override
        public String description() {
            return "hyperbolic tangent, range (-1, 1)";
        }

        @Override
        public Activation create(PluginParameters parameters) {
            return new Tanh();
        }
    }
}
