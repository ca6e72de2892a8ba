/** The standard optimizer plugins: sgd (with optional momentum / Nesterov) and adam. */
module dev.backprop.plugins.optimizers {
    requires dev.backprop.api;

    provides dev.backprop.api.OptimizerProvider with
            dev.backprop.plugins.optimizers.Sgd.Provider,
            dev.backprop.plugins.optimizers.Adam.Provider;
}
