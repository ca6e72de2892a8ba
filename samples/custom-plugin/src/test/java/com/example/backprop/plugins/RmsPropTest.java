package com.example.backprop.plugins;

import dev.backprop.api.OptimizerProvider;
import dev.backprop.testkit.OptimizerContract;
import java.util.Map;

/** RMSProp keeps the optimizer contract of the Backprop SDK's test kit. */
class RmsPropTest extends OptimizerContract {
    @Override
    protected OptimizerProvider provider() {
        return new RmsProp.Provider();
    }

    @Override
    protected Map<String, ?> parameters() {
        return Map.of("learning-rate", 0.01);
    }
}
