package dev.backprop.plugins.optimizers;

import dev.backprop.api.OptimizerProvider;
import dev.backprop.testkit.OptimizerContract;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/** Every standard optimizer (and each sgd variant) runs the plugin test kit's contract. */
class OptimizerContractsTest {

    @Nested
    class SgdContract extends OptimizerContract {
        @Override
        protected OptimizerProvider provider() {
            return new Sgd.Provider();
        }

        @Override
        protected Map<String, ?> parameters() {
            return Map.of("learning-rate", 0.1);
        }
    }

    @Nested
    class MomentumContract extends OptimizerContract {
        @Override
        protected OptimizerProvider provider() {
            return new Sgd.Provider();
        }

        @Override
        protected Map<String, ?> parameters() {
            return Map.of("learning-rate", 0.05, "momentum", 0.9);
        }
    }

    @Nested
    class NesterovContract extends OptimizerContract {
        @Override
        protected OptimizerProvider provider() {
            return new Sgd.Provider();
        }

        @Override
        protected Map<String, ?> parameters() {
            return Map.of("learning-rate", 0.05, "momentum", 0.9, "nesterov", true);
        }
    }

    @Nested
    class AdamContract extends OptimizerContract {
        @Override
        protected OptimizerProvider provider() {
            return new Adam.Provider();
        }

        @Override
        protected Map<String, ?> parameters() {
            return Map.of("learning-rate", 0.05);
        }
    }
}
