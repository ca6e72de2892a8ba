package dev.backprop.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.api.Optimizer;
import dev.backprop.api.OptimizerProvider;
import dev.backprop.api.TrainableParameter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of an {@link Optimizer} plugin: it minimises a convex quadratic, keeps its state per
 * parameter (updating one parameter is not affected by the others), and never modifies a gradient.
 * Extend it and return your provider; override {@link #parameters()} to set a learning rate suited to
 * the quadratic {@code f(w) = sum_i c_i (w_i - m_i)^2} with curvatures {@code c_i} in [0.5, 2].
 */
public abstract class OptimizerContract {

    /** @return the provider under test */
    protected abstract OptimizerProvider provider();

    /** @return the parameters to create the optimizer with; none by default */
    protected Map<String, ?> parameters() {
        return Map.of();
    }

    /** @return how many steps the optimizer gets to reduce the quadratic */
    protected int steps() {
        return 2000;
    }

    /** @return the fraction of the initial value the quadratic must fall below */
    protected double requiredReduction() {
        return 1e-3;
    }

    private static final double[] CURVATURE = {0.5, 1.0, 2.0, 1.5};
    private static final double[] MINIMUM = {1.0, -2.0, 0.5, 3.0};

    private static double quadratic(double[] w, double[] gradient) {
        double value = 0;
        for (int i = 0; i < w.length; i++) {
            double d = w[i] - MINIMUM[i];
            value += CURVATURE[i] * d * d;
            if (gradient != null) {
                gradient[i] = 2 * CURVATURE[i] * d;
            }
        }
        return value;
    }

    @Test
    void providerIsWellFormed() {
        ContractChecks.checkProvider(provider());
    }

    @Test
    void minimisesAConvexQuadratic() {
        Optimizer optimizer = provider().create(parameters());
        double[] w = {4.0, 2.0, -3.0, 0.0};
        double[] g = new double[4];
        optimizer.bind(List.of(new TrainableParameter("w", w, g)));
        double start = quadratic(w, null);
        for (int step = 0; step < steps(); step++) {
            quadratic(w, g);
            optimizer.step();
        }
        double end = quadratic(w, null);
        assertTrue(end < start * requiredReduction(), provider().name() + " took the quadratic from " + start + " only to " + end);
    }

    @Test
    void stateIsKeptPerParameter() {
        // Parameter a alone, and a beside b: a must follow the same path both times.
        Optimizer alone = provider().create(parameters());
        Optimizer together = provider().create(parameters());
        double[] a1 = {4.0, 2.0, -3.0, 0.0};
        double[] ga1 = new double[4];
        double[] a2 = a1.clone();
        double[] ga2 = new double[4];
        double[] b = {-7.0, 5.0};
        double[] gb = new double[2];
        alone.bind(List.of(new TrainableParameter("a", a1, ga1)));
        together.bind(List.of(new TrainableParameter("b", b, gb), new TrainableParameter("a", a2, ga2)));
        for (int step = 0; step < 50; step++) {
            quadratic(a1, ga1);
            quadratic(a2, ga2);
            gb[0] = 100 * (step % 3 - 1);
            gb[1] = -50;
            alone.step();
            together.step();
            assertArrayEquals(a1, a2, provider().name() + ": parameter a moved differently beside parameter b at step " + step);
        }
    }

    @Test
    void gradientsAreNotModified() {
        Optimizer optimizer = provider().create(parameters());
        double[] w = {1, 2, 3};
        double[] g = {0.5, -0.25, 2};
        optimizer.bind(List.of(new TrainableParameter("w", w, g)));
        optimizer.step();
        assertArrayEquals(new double[] {0.5, -0.25, 2}, g);
        assertTrue(w[0] < 1 && w[1] > 2 && w[2] < 3, "a step must move each weight against its gradient");
    }
}
