/** A Backprop SDK plugin. */
module ${package} {
    requires dev.backprop.api;

    provides dev.backprop.api.ActivationProvider with ${package}.ExampleActivation.Provider;
}
