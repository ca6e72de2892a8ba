package com.example.backprop.plugins;

import dev.backprop.api.ActivationProvider;
import dev.backprop.testkit.ActivationContract;

/** Softplus keeps the activation contract of the Backprop SDK's test kit. */
class SoftplusTest extends ActivationContract {
    @Override
    protected ActivationProvider provider() {
        return new Softplus.Provider();
    }
}
