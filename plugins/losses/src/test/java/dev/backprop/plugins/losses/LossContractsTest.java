package dev.backprop.plugins.losses;

import dev.backprop.api.LossFunctionProvider;
import dev.backprop.testkit.LossFunctionContract;
import org.junit.jupiter.api.Nested;

/** Every standard loss runs the plugin test kit's contract. */
class LossContractsTest {

    @Nested
    class SquaredErrorContract extends LossFunctionContract {
        @Override
        protected LossFunctionProvider provider() {
            return new SquaredError.Provider();
        }
    }

    @Nested
    class CrossEntropyContract extends LossFunctionContract {
        @Override
        protected LossFunctionProvider provider() {
            return new CrossEntropy.Provider();
        }
    }

    @Nested
    class BinaryCrossEntropyContract extends LossFunctionContract {
        @Override
        protected LossFunctionProvider provider() {
            return new BinaryCrossEntropy.Provider();
        }
    }
}
