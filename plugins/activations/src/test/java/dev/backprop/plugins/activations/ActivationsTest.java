package dev.backprop.plugins.activations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.PluginKind;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Known values of the standard activations; the SPI contract itself is checked by {@link ActivationContractsTest}. */
class ActivationsTest {

    static Stream<ActivationProvider> providers() {
        return ServiceLoader.load(ActivationProvider.class).stream().map(ServiceLoader.Provider::get);
    }

    @Test
    void serviceFileListsEveryActivation() {
        assertThat(providers().map(ActivationProvider::name))
                .containsExactlyInAnyOrder("sigmoid", "tanh", "relu", "leaky-relu", "identity", "softmax");
        assertThat(providers()).allSatisfy(p -> assertThat(PluginKind.of(p)).isEqualTo(PluginKind.ACTIVATION));
    }

    @Test
    void knownValues() {
        double[] out = new double[1];
        assertThat(apply(new Sigmoid(), 0.755)).isCloseTo(1 / (1 + Math.exp(-0.755)), within(1e-15));
        assertThat(apply(new Sigmoid(), -800)).isGreaterThanOrEqualTo(0).isLessThan(1e-300);
        assertThat(apply(new Tanh(), 0.5)).isEqualTo(Math.tanh(0.5));
        assertThat(new Relu().derivative(0, 0)).as("ReLU'(0) = 0").isZero();
        assertThat(new Relu().apply(-3)).isZero();
        assertThat(new LeakyRelu(0.2).apply(-3)).isCloseTo(-0.6, within(1e-15));
        assertThat(new LeakyRelu(0.2).derivative(-3, -0.6)).isEqualTo(0.2);
        assertThat(new Identity().apply(-7.25)).isEqualTo(-7.25);
        new Sigmoid().forward(new double[] {0}, out, 1, 1);
        assertThat(out[0]).isEqualTo(0.5);
    }

    @Test
    void softmaxRowsAreDistributionsEvenForHugeInputs() {
        double[] net = {1, 2, 3, 1000, 1001, 1002};
        double[] out = new double[6];
        new Softmax().forward(net, out, 2, 3);
        double e = Math.exp(1);
        double z = 1 + e + e * e;
        for (int r = 0; r < 2; r++) {
            assertThat(out[r * 3] + out[r * 3 + 1] + out[r * 3 + 2]).isCloseTo(1.0, within(1e-15));
            assertThat(out[r * 3]).isCloseTo(1 / z, within(1e-15));
            assertThat(out[r * 3 + 2]).isCloseTo(e * e / z, within(1e-15));
        }
    }

    @Test
    void leakyReluTakesAlpha() {
        ActivationProvider provider = new LeakyRelu.Provider();
        assertThat(provider.parameters()).extracting(p -> p.name()).isEqualTo(List.of("alpha"));
        ElementwiseCheck.assertSlope(provider.create(Map.of("alpha", 0.3)), -2.0, 0.3);
        ElementwiseCheck.assertSlope(provider.create(Map.of()), -2.0, 0.01);
    }

    private static double apply(dev.backprop.api.ElementwiseActivation activation, double x) {
        return activation.apply(x);
    }

    private static final class ElementwiseCheck {
        static void assertSlope(Activation activation, double at, double slope) {
            double[] out = new double[1];
            double[] grad = new double[1];
            activation.forward(new double[] {at}, out, 1, 1);
            activation.backward(new double[] {at}, out, new double[] {1}, grad, 1, 1);
            assertThat(grad[0]).isEqualTo(slope);
        }
    }
}
