package dev.backprop.api;

import java.util.List;

/**
 * The discovered factory behind every plugin. The SDK finds providers with
 * {@link java.util.ServiceLoader}, indexes them by {@link #name()}, checks the parameters a user gives
 * against {@link #parameters()}, and calls {@link #create(PluginParameters)} to obtain a fresh,
 * possibly stateful instance for one network or training run.
 *
 * <p>Implement one of the four sub-interfaces ({@link ActivationProvider}, {@link LossFunctionProvider},
 * {@link OptimizerProvider}, {@link WeightInitializerProvider}), give the class a public no-argument
 * constructor, and declare it both in {@code module-info.java} ({@code provides ... with ...}) and in
 * {@code META-INF/services/<interface name>} so it loads on the module path and on the class path.
 *
 * @param <T> the type of object the provider creates
 */
public interface PluginProvider<T> {

    /**
     * The stable name users select the plugin by, in lower-case kebab-case ({@code leaky-relu}).
     * Must be unique among providers of the same kind.
     *
     * @return the plugin name
     */
    String name();

    /** @return a one-line, human-readable description for listings; empty by default */
    default String description() {
        return "";
    }

    /** @return the parameters this plugin accepts, with their types and defaults; none by default */
    default List<ParameterSpec> parameters() {
        return List.of();
    }

    /**
     * Creates a new instance. Never returns a shared instance when the created object has state.
     *
     * @param parameters the validated parameters: every declared parameter with a default is present,
     *     no undeclared parameter is
     * @return a new instance configured by {@code parameters}
     * @throws PluginParameterException if the parameters are inconsistent with each other
     */
    T create(PluginParameters parameters);

    /**
     * Validates raw parameters against {@link #parameters()} and creates an instance.
     *
     * @param raw parameter values by name (numbers, booleans, strings, lists), may be empty
     * @return a new instance
     * @throws PluginParameterException naming this plugin and the parameter if one is unknown,
     *     missing or invalid
     */
    default T create(java.util.Map<String, ?> raw) {
        return create(PluginParameters.resolve(this, raw));
    }
}
