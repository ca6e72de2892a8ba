package dev.backprop.plugins.initializers;

import dev.backprop.api.WeightInitializerProvider;
import java.util.List;
import java.util.Map;
import dev.backprop.testkit.WeightInitializerContract;
import org.junit.jupiter.api.Nested;

/** Every standard initializer runs the plugin test kit's contract, with the variance it documents. */
class InitializerContractsTest {

    @Nested
    class UniformContract extends WeightInitializerContract {
        @Override
        protected WeightInitializerProvider provider() {
            return new RandomInitializer.UniformProvider();
        }

        @Override
        protected Map<String, ?> parameters() {
            return Map.of("range", 0.3);
        }

        @Override
        protected double expectedVariance(int fanIn, int fanOut) {
            return 0.3 * 0.3 / 3; // U(-a, a) has variance a^2 / 3
        }
    }

    @Nested
    class XavierUniformContract extends WeightInitializerContract {
        @Override
        protected WeightInitializerProvider provider() {
            return new RandomInitializer.XavierUniformProvider();
        }

        @Override
        protected double expectedVariance(int fanIn, int fanOut) {
            return 2.0 / (fanIn + fanOut);
        }
    }

    @Nested
    class XavierNormalContract extends WeightInitializerContract {
        @Override
        protected WeightInitializerProvider provider() {
            return new RandomInitializer.XavierNormalProvider();
        }

        @Override
        protected double expectedVariance(int fanIn, int fanOut) {
            return 2.0 / (fanIn + fanOut);
        }
    }

    @Nested
    class HeUniformContract extends WeightInitializerContract {
        @Override
        protected WeightInitializerProvider provider() {
            return new RandomInitializer.HeUniformProvider();
        }

        @Override
        protected double expectedVariance(int fanIn, int fanOut) {
            return 2.0 / fanIn;
        }
    }

    @Nested
    class HeNormalContract extends WeightInitializerContract {
        @Override
        protected WeightInitializerProvider provider() {
            return new RandomInitializer.HeNormalProvider();
        }

        @Override
        protected double expectedVariance(int fanIn, int fanOut) {
            return 2.0 / fanIn;
        }
    }

    @Nested
    class ZerosContract extends WeightInitializerContract {
        @Override
        protected WeightInitializerProvider provider() {
            return new ConstantInitializer.ZerosProvider();
        }

        @Override
        protected boolean isRandom() {
            return false;
        }
    }

    @Nested
    class ConstantContract extends WeightInitializerContract {
        @Override
        protected WeightInitializerProvider provider() {
            return new ConstantInitializer.ConstantProvider();
        }

        @Override
        protected Map<String, ?> parameters() {
            return Map.of("value", 0.25);
        }

        @Override
        protected boolean isRandom() {
            return false;
        }
    }

    @Nested
    class ExplicitContract extends WeightInitializerContract {
        @Override
        protected WeightInitializerProvider provider() {
            return new ExplicitInitializer.Provider();
        }

        @Override
        protected Map<String, ?> parameters() {
            return Map.of("weights", List.of(List.of(1, 2, 3), List.of(4, 5, 6)), "bias", List.of(0.5, -0.5));
        }

        @Override
        protected int[] shape() {
            return new int[] {3, 2};
        }

        @Override
        protected boolean isRandom() {
            return false;
        }
    }
}
