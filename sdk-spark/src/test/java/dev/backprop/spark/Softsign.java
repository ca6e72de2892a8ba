package dev.backprop.spark;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.ElementwiseActivation;
import dev.backprop.api.PluginParameters;

/**
 * A test activation, {@code x / (1 + |x|)}, deliberately not listed in this module's
 * {@code META-INF/services}: {@link SparkPluginFolderTest} packs it into a plugin jar of its own.
 */
public final class Softsign extends ElementwiseActivation {
    @Override
    public double apply(double net) {
        return net / (1 + Math.abs(net));
    }

    @Override
    public double derivative(double net, double out) {
        double d = 1 + Math.abs(net);
        return 1 / (d * d);
    }

    /** Provides {@code softsign}. */
    public static final class Provider implements ActivationProvider {
        @Override
        public String name() {
            return "softsign";
        }

        @Override
        public String description() {
            return "test only: x / (1 + |x|)";
        }

        @Override
        public Activation create(PluginParameters parameters) {
            return new Softsign();
        }
    }
}
