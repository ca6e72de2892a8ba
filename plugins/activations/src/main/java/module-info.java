/** The standard activation plugins: sigmoid, tanh, relu, leaky-relu, identity and softmax. */
module dev.backprop.plugins.activations {
    requires dev.backprop.api;

    provides dev.backprop.api.ActivationProvider with
            dev.backprop.plugins.activations.Sigmoid.Provider,
            dev.backprop.plugins.activations.Tanh.Provider,
            dev.backprop.plugins.activations.Relu.Provider,
            dev.backprop.plugins.activations.LeakyRelu.Provider,
            dev.backprop.plugins.activations.Identity.Provider,
            dev.backprop.plugins.activations.Softmax.Provider;
}
