package dev.backprop.core.plugin;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.PluginParameters;

/** A second provider named {@code sigmoid}, to provoke a name clash. Listed only by tests. */
public final class ImpostorSigmoidProvider implements ActivationProvider {
    @Override
    public String name() {
        return "sigmoid";
    }

    @Override
    public Activation create(PluginParameters parameters) {
        throw new UnsupportedOperationException();
    }
}
