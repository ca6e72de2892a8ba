package dev.backprop.core.plugin;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.PluginParameters;

/** A provider whose constructor fails, as a broken third-party plugin might. Listed only by tests. */
public final class ThrowingActivationProvider implements ActivationProvider {
    /** Always throws. */
    public ThrowingActivationProvider() {
        throw new IllegalStateException("boom in constructor");
    }

    @Override
    public String name() {
        return "throwing";
    }

    @Override
    public Activation create(PluginParameters parameters) {
        throw new UnsupportedOperationException();
    }
}
