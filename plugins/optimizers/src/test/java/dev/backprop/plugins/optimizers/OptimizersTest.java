package dev.backprop.plugins.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.api.Optimizer;
import dev.backprop.api.PluginParameterException;
import dev.backprop.api.TrainableParameter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimizersTest {

    private static TrainableParameter parameter(double[] w, double[] g) {
        return new TrainableParameter("p", w, g);
    }

    @Test
    void plainSgdIsWeightMinusEtaTimesGradient() {
        double[] w = {0.3, 0.9};
        double[] g = {0.0406 * 0.68, 0.0406 * 0.6637};
        Optimizer sgd = new Sgd.Provider().create(Map.of("learning-rate", 1.0));
        sgd.bind(List.of(parameter(w, g)));
        sgd.step();
        assertThat(w[0]).isEqualTo(0.3 - 0.0406 * 0.68);
        assertThat(w[1]).isEqualTo(0.9 - 0.0406 * 0.6637);
        assertThat(g).as("gradient untouched").containsExactly(0.0406 * 0.68, 0.0406 * 0.6637);
    }

    @Test
    void momentumAccumulatesAVelocityPerParameter() {
        double[] a = {1.0};
        double[] ga = {0.5};
        double[] b = {2.0};
        double[] gb = {-1.0};
        Optimizer sgd = new Sgd.Provider().create(Map.of("learning-rate", 0.1, "momentum", 0.9));
        sgd.bind(List.of(parameter(a, ga), parameter(b, gb)));
        sgd.step();
        sgd.step();
        // v1 = g, v2 = 0.9 g + g = 1.9 g; w = w0 - 0.1 (g + 1.9 g)
        assertThat(a[0]).isCloseTo(1.0 - 0.1 * (0.5 + 1.9 * 0.5), within(1e-15));
        assertThat(b[0]).isCloseTo(2.0 - 0.1 * (-1.0 - 1.9), within(1e-15));
    }

    @Test
    void nesterovLooksAhead() {
        double[] w = {1.0};
        double[] g = {0.5};
        Optimizer sgd = new Sgd.Provider().create(Map.of("learning-rate", 0.1, "momentum", 0.9, "nesterov", true));
        sgd.bind(List.of(parameter(w, g)));
        sgd.step(); // v = 0.5; w -= 0.1 (0.5 + 0.9 * 0.5)
        assertThat(w[0]).isCloseTo(1.0 - 0.1 * 0.95, within(1e-15));
        sgd.step(); // v = 0.95; w -= 0.1 (0.5 + 0.9 * 0.95)
        assertThat(w[0]).isCloseTo(1.0 - 0.1 * 0.95 - 0.1 * (0.5 + 0.855), within(1e-15));
    }

    @Test
    void nesterovWithoutMomentumIsRefused() {
        assertThatThrownBy(() -> new Sgd.Provider().create(Map.of("nesterov", true)))
                .isInstanceOf(PluginParameterException.class).hasMessageContaining("needs 'momentum' > 0");
    }

    @Test
    void adamFollowsKingmaAndBa() {
        double[] w = {1.0, -1.0};
        double[] g = {0.2, -3.0};
        Optimizer adam = new Adam.Provider().create(Map.of("learning-rate", 0.01));
        adam.bind(List.of(parameter(w, g)));
        adam.step();
        // First step: m_hat = g, v_hat = g^2, so the step is lr * g / (|g| + eps).
        assertThat(w[0]).isCloseTo(1.0 - 0.01 * 0.2 / (0.2 + 1e-8), within(1e-15));
        assertThat(w[1]).isCloseTo(-1.0 + 0.01 * 3.0 / (3.0 + 1e-8), within(1e-15));
        g[0] = 0.1;
        adam.step();
        double m = 0.9 * 0.1 * 0.2 + 0.1 * 0.1;
        double v = 0.999 * 0.001 * 0.04 + 0.001 * 0.01;
        double expected = 1.0 - 0.01 * 0.2 / (0.2 + 1e-8) - 0.01 * (m / (1 - 0.81)) / (Math.sqrt(v / (1 - 0.999 * 0.999)) + 1e-8);
        assertThat(w[0]).isCloseTo(expected, within(1e-15));
    }

    @Test
    void everyOptimizerMinimisesAConvexQuadratic() {
        for (Optimizer optimizer : List.of(new Sgd.Provider().create(Map.of("learning-rate", 0.1)),
                new Sgd.Provider().create(Map.of("learning-rate", 0.05, "momentum", 0.9, "nesterov", true)),
                new Adam.Provider().create(Map.of("learning-rate", 0.05)))) {
            double[] w = {3.0, -2.0};
            double[] g = new double[2];
            optimizer.bind(List.of(parameter(w, g)));
            for (int step = 0; step < 500; step++) {
                // f(w) = (w0 - 1)^2 + 2 (w1 + 0.5)^2
                g[0] = 2 * (w[0] - 1);
                g[1] = 4 * (w[1] + 0.5);
                optimizer.step();
            }
            assertThat(w[0]).isCloseTo(1.0, within(1e-3));
            assertThat(w[1]).isCloseTo(-0.5, within(1e-3));
        }
    }

    private static Optimizer boundAdam(double[] w) {
        Optimizer adam = new Adam.Provider().create(Map.of("learning-rate", 0.1));
        adam.bind(List.of(parameter(w, new double[] {0.5, -0.25})));
        return adam;
    }

    private static Map<String, double[]> adamState(double steps, double[] m, double[] v) {
        return Map.of("m[0]", m, "v[0]", v, "steps", new double[] {steps});
    }

    @Test
    void adamRefusesStateNoRunCouldHaveSaved() {
        double[] w = {1.0, 2.0};
        Optimizer adam = boundAdam(w);
        double[] m = {0.1, 0.2};
        double[] v = {0.01, 0.04};
        assertThatThrownBy(() -> adam.restoreState(adamState(-20, m, v))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("steps is -20.0; expected a whole number from 0 to 2^53");
        assertThatThrownBy(() -> adam.restoreState(adamState(2.5, m, v))).hasMessageContaining("steps is 2.5; expected a whole number");
        assertThatThrownBy(() -> adam.restoreState(adamState(1e308, m, v))).hasMessageContaining("steps is 1.0E308; expected a whole number");
        assertThatThrownBy(() -> adam.restoreState(adamState(3, m, new double[] {0.01, -1.0})))
                .hasMessageContaining("v[0][1] is -1.0; expected a finite number >= 0");
        assertThatThrownBy(() -> adam.restoreState(adamState(3, new double[] {Double.NaN, 0}, v)))
                .hasMessageContaining("m[0][0] is NaN; expected a finite number");
        Map<String, double[]> extra = new java.util.HashMap<>(adamState(3, m, v));
        extra.put("velocity[0]", new double[] {0.0});
        assertThatThrownBy(() -> adam.restoreState(extra))
                .hasMessageContaining("has velocity[0], which this optimizer does not keep; it keeps m[0], steps, v[0]");
        // None of the refused states changed the optimizer: it still steps as a fresh one does.
        double[] fresh = {1.0, 2.0};
        Optimizer reference = boundAdam(fresh);
        adam.step();
        reference.step();
        assertThat(w).containsExactly(fresh);
    }

    @Test
    void adamRestoresAWholeStepCountExactly() {
        double[] w = {1.0, 2.0};
        Optimizer adam = boundAdam(w);
        adam.step();
        adam.step();
        double[] copy = w.clone();
        Optimizer restored = boundAdam(copy);
        restored.restoreState(adam.state());
        adam.step();
        restored.step();
        assertThat(copy).containsExactly(w);
        assertThat(restored.state().get("steps")).containsExactly(3.0);
    }

    @Test
    void sgdRefusesStateItDoesNotKeep() {
        Optimizer plain = new Sgd.Provider().create(Map.of("learning-rate", 0.1));
        plain.bind(List.of(parameter(new double[] {1.0}, new double[] {0.5})));
        assertThatThrownBy(() -> plain.restoreState(Map.of("velocity[0]", new double[] {0.0})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has velocity[0], which this optimizer does not keep; it keeps no state");
        Optimizer momentum = new Sgd.Provider().create(Map.of("learning-rate", 0.1, "momentum", 0.9));
        momentum.bind(List.of(parameter(new double[] {1.0}, new double[] {0.5})));
        assertThatThrownBy(() -> momentum.restoreState(Map.of("velocity[0]", new double[] {Double.POSITIVE_INFINITY})))
                .hasMessageContaining("velocity[0][0] is Infinity; expected a finite number");
        assertThatThrownBy(() -> momentum.restoreState(Map.of("velocity[0]", new double[] {0.0}, "velocity[1]", new double[] {0.0})))
                .hasMessageContaining("has velocity[1], which this optimizer does not keep");
    }
}
