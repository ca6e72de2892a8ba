/** Example third-party plugins: the softplus activation and the RMSProp optimizer. */
module com.example.backprop.plugins {
    requires dev.backprop.api;

    provides dev.backprop.api.ActivationProvider with com.example.backprop.plugins.Softplus.Provider;
    provides dev.backprop.api.OptimizerProvider with com.example.backprop.plugins.RmsProp.Provider;
}
