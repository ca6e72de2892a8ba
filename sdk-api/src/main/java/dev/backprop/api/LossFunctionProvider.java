package dev.backprop.api;

/** The service interface for {@link LossFunction} plugins. */
public interface LossFunctionProvider extends PluginProvider<LossFunction> {
}
