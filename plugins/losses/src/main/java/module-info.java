/** The standard loss plugins: squared-error, cross-entropy and binary-cross-entropy. */
module dev.backprop.plugins.losses {
    requires dev.backprop.api;

    provides dev.backprop.api.LossFunctionProvider with
            dev.backprop.plugins.losses.SquaredError.Provider,
            dev.backprop.plugins.losses.CrossEntropy.Provider,
            dev.backprop.plugins.losses.BinaryCrossEntropy.Provider;
}
