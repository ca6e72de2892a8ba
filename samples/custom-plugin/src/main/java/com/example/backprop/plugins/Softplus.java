package com.example.backprop.plugins;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.ElementwiseActivation;
import dev.backprop.api.PluginParameters;

/** Softplus, {@code ln(1 + e^x)}, a smooth ReLU; its derivative is the sigmoid. */
public final class Softplus extends ElementwiseActivation {

    @Override
    public double apply(double net) {
        // max(x, 0) + ln(1 + e^-|x|) equals ln(1 + e^x) and never overflows.
        return Math.max(net, 0) + Math.log1p(Math.exp(-Math.abs(net)));
    }

    @Override
    public double derivative(double net, double out) {
        return net >= 0 ? 1 / (1 + Math.exp(-net)) : Math.exp(net) / (1 + Math.exp(net));
    }

    /** Provides {@code softplus}. */
    public static final class Provider implements ActivationProvider {
        @Override
        public String name() {
            return "softplus";
        }

        @Override
        public String description() {
            return "ln(1 + e^x), a smooth ReLU";
        }

        @Override
        public Activation create(PluginParameters parameters) {
            return new Softplus();
        }
    }
}
