package dev.backprop.api;

/** The service interface for {@link Activation} plugins. */
public interface ActivationProvider extends PluginProvider<Activation> {
}
