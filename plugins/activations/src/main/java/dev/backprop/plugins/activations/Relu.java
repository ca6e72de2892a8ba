package dev.backprop.plugins.activations;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.ElementwiseActivation;
import dev.backprop.api.ExportableActivation;
import dev.backprop.api.PluginParameters;
import java.util.List;

/**
 * The rectified linear unit {@code max(0, x)} (docs/derivation.md §5). Its derivative at 0 is taken as 0 (the
 * function has no derivative there; 0 is the usual choice and keeps dead units dead).
 */
public final class Relu extends ElementwiseActivation implements ExportableActivation {

    @Override
    public double apply(double net) {
        return net > 0 ? net : 0.0;
    }

    @Override
    public double derivative(double net, double out) {
        return net > 0 ? 1.0 : 0.0;
    }

    // Own loops rather than the inherited ones: the inherited loop's call to apply() is shared by every
    // element-wise activation, so the JIT cannot inline it once several are in use.
    @Override
    public void forward(double[] net, double[] out, int rows, int cols) {
        int n = rows * cols;
        for (int i = 0; i < n; i++) {
            double x = net[i];
            out[i] = x > 0 ? x : 0.0;
        }
    }

    @Override
    public void backward(double[] net, double[] out, double[] gradOut, double[] gradNet, int rows, int cols) {
        int n = rows * cols;
        for (int i = 0; i < n; i++) {
            gradNet[i] = net[i] > 0 ? gradOut[i] : 0.0;
        }
    }

    /** Exported as the ONNX operator {@code Relu}. */
    @Override
    public List<Step> exportSteps() {
        return List.of(Step.of("Relu"));
    }

    /** Provides {@code relu}. */
    public static final class Provider implements ActivationProvider {
        @Override
        public String name() {
            return "relu";
        }

        @Override
        public String description() {
            return "rectified linear unit max(0, x); derivative 0 at x = 0";
        }

        @Override
        public Activation create(PluginParameters parameters) {
            return new Relu();
        }
    }
}
