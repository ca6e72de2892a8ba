package dev.backprop.api;

/** The service interface for {@link WeightInitializer} plugins. */
public interface WeightInitializerProvider extends PluginProvider<WeightInitializer> {
}
