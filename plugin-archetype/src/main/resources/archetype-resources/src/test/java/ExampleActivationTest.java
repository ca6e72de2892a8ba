package ${package};

import dev.backprop.api.ActivationProvider;
import dev.backprop.testkit.ActivationContract;

/** The example activation keeps the SDK's activation contract. */
class ExampleActivationTest extends ActivationContract {
    @Override
    protected ActivationProvider provider() {
        return new ExampleActivation.Provider();
    }
}
