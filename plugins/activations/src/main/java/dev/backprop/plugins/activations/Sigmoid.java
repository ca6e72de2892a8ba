package dev.backprop.plugins.activations;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.ElementwiseActivation;
import dev.backprop.api.PluginParameters;

/** The logistic function {@code 1 / (1 + e^-x)} of seeds 000 and 001, with {@code f' = y (1 - y)}. */
public final class Sigmoid extends ElementwiseActivation {

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
