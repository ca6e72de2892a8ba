package dev.backprop.plugins.activations;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.ElementwiseActivation;
import dev.backprop.api.ExportableActivation;
import dev.backprop.api.PluginParameters;
import java.util.List;

/** The identity {@code f(x) = x}, for linear outputs (regression). */
public final class Identity extends ElementwiseActivation implements ExportableActivation {

    @Override
    public double apply(double net) {
        return net;
    }

    @Override
    public double derivative(double net, double out) {
        return 1.0;
    }

    /** Exported as the ONNX operator {@code Identity}. */
    @Override
    public List<Step> exportSteps() {
        return List.of(Step.of("Identity"));
    }

    /** Provides {@code identity}. */
    public static final class Provider implements ActivationProvider {
        @Override
        public String name() {
            return "identity";
        }

        @Override
        public String description() {
            return "f(x) = x, for linear (regression) outputs";
        }

        @Override
        public Activation create(PluginParameters parameters) {
            return new Identity();
        }
    }
}
