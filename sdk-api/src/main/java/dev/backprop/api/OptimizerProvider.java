package dev.backprop.api;

/** The service interface for {@link Optimizer} plugins. */
public interface OptimizerProvider extends PluginProvider<Optimizer> {
}
