/**
 * The Backprop SDK in one module: requiring it gives an application the engine
 * ({@code dev.backprop.core}) and the SDK's API; the standard plugins it depends on are found by
 * {@link java.util.ServiceLoader} wherever they are on the module path. Applications may require
 * {@code dev.backprop.core} instead; both work.
 */
module dev.backprop {
    requires transitive dev.backprop.core;
    requires dev.backprop.plugins.activations;
    requires dev.backprop.plugins.losses;
    requires dev.backprop.plugins.optimizers;
    requires dev.backprop.plugins.initializers;
    requires dev.backprop.plugins.schedules;
}
