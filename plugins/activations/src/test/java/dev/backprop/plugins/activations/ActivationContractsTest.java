package dev.backprop.plugins.activations;

import dev.backprop.api.ActivationProvider;
import dev.backprop.testkit.ActivationContract;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/** Every standard activation runs the plugin test kit's contract. */
class ActivationContractsTest {

    @Nested
    class SigmoidContract extends ActivationContract {
        @Override
        protected ActivationProvider provider() {
            return new Sigmoid.Provider();
        }
    }

    @Nested
    class TanhContract extends ActivationContract {
        @Override
        protected ActivationProvider provider() {
            return new Tanh.Provider();
        }
    }

    @Nested
    class ReluContract extends ActivationContract {
        @Override
        protected ActivationProvider provider() {
            return new Relu.Provider();
        }
    }

    @Nested
    class LeakyReluContract extends ActivationContract {
        @Override
        protected ActivationProvider provider() {
            return new LeakyRelu.Provider();
        }

        @Override
        protected Map<String, ?> parameters() {
            return Map.of("alpha", 0.2);
        }
    }

    @Nested
    class IdentityContract extends ActivationContract {
        @Override
        protected ActivationProvider provider() {
            return new Identity.Provider();
        }
    }

    @Nested
    class SoftmaxContract extends ActivationContract {
        @Override
        protected ActivationProvider provider() {
            return new Softmax.Provider();
        }
    }
}
