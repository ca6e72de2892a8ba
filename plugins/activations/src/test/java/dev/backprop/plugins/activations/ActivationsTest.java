package dev.backprop.plugins.activations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.PluginKind;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

    /** backward(gradOut) must equal the vector-Jacobian product estimated by central differences of forward. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void backwardAgreesWithFiniteDifferencesOfForward(ActivationProvider provider) {
        Activation activation = provider.create(Map.of());
        SplittableRandom random = new SplittableRandom(provider.name().hashCode());
        int rows = 5;
        int cols = 4;
        double[] net = new double[rows * cols];
        double[] gradOut = new double[rows * cols];
        for (int i = 0; i < net.length; i++) {
            double v = random.nextDouble(-4, 4);
            net[i] = Math.abs(v) < 0.01 ? v + 0.1 : v; // away from the ReLU kink
            gradOut[i] = random.nextDouble(-1, 1);
        }
        double[] out = new double[net.length];
        double[] gradNet = new double[net.length];
        activation.forward(net, out, rows, cols);
        activation.backward(net, out, gradOut, gradNet, rows, cols);
        double h = 1e-6;
        for (int i = 0; i < net.length; i++) {
            double[] plus = net.clone();
            double[] minus = net.clone();
            plus[i] += h;
            minus[i] -= h;
            double[] outPlus = new double[net.length];
            double[] outMinus = new double[net.length];
            activation.forward(plus, outPlus, rows, cols);
            activation.forward(minus, outMinus, rows, cols);
            double numeric = 0;
            for (int k = 0; k < net.length; k++) {
                numeric += gradOut[k] * (outPlus[k] - outMinus[k]) / (2 * h);
            }
            assertThat(gradNet[i]).as("%s at %d", provider.name(), i).isCloseTo(numeric, within(1e-8));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void outputsAreFiniteForExtremeInputs(ActivationProvider provider) {
        Activation activation = provider.create(Map.of());
        double[] net = {-1000, -50, -1e-300, 0, 1e-300, 50, 1000, 700};
        double[] out = new double[net.length];
        activation.forward(net, out, 2, 4);
        assertThat(java.util.Arrays.stream(out).allMatch(Double::isFinite)).as(java.util.Arrays.toString(out)).isTrue();
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
