package dev.backprop.plugins.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.api.LossFunction;
import dev.backprop.api.LossFunctionProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Known values of the standard losses; the SPI contract itself is checked by {@link LossContractsTest}. */
class LossesTest {

    static Stream<LossFunctionProvider> providers() {
        return ServiceLoader.load(LossFunctionProvider.class).stream().map(ServiceLoader.Provider::get);
    }

    @Test
    void serviceFileListsEveryLoss() {
        assertThat(providers().map(LossFunctionProvider::name))
                .containsExactlyInAnyOrder("squared-error", "cross-entropy", "binary-cross-entropy");
    }

    @Test
    void squaredErrorIsHalfTheSumOfSquaresPerExample() {
        // Seed 001: E = 1/2 (0.5 - 0.69)^2 for the first forward pass.
        LossFunction loss = new SquaredError();
        assertThat(loss.loss(new double[] {0.69}, new double[] {0.5}, 1, 1)).isCloseTo(0.5 * 0.19 * 0.19, within(1e-15));
        // Two rows: the sum of both examples' losses, not the mean.
        assertThat(loss.loss(new double[] {1, 2, 3, 4}, new double[] {0, 0, 0, 0}, 2, 2)).isEqualTo(15.0);
    }

    @Test
    void crossEntropyValues() {
        assertThat(new CrossEntropy().loss(new double[] {0.2, 0.8}, new double[] {0, 1}, 1, 2)).isCloseTo(-Math.log(0.8), within(1e-15));
        assertThat(new CrossEntropy().loss(new double[] {0, 1}, new double[] {1, 0}, 1, 2))
                .as("a zero probability gives a large finite loss").isCloseTo(-Math.log(1e-15), within(1e-9));
        assertThat(new BinaryCrossEntropy().loss(new double[] {0.9}, new double[] {1}, 1, 1)).isCloseTo(-Math.log(0.9), within(1e-15));
        double[] g = new double[1];
        new BinaryCrossEntropy().gradient(new double[] {1.0}, new double[] {0}, g, 1, 1);
        assertThat(Double.isFinite(g[0])).isTrue();
    }
}
