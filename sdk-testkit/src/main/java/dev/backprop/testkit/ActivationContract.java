package dev.backprop.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract of an {@link Activation} plugin. Extend it in your test sources and return your provider:
 * <pre>{@code
 * class SoftplusTest extends ActivationContract {
 *     protected ActivationProvider provider() { return new Softplus.Provider(); }
 * }
 * }</pre>
 * The inherited tests check that the backward product agrees with central finite differences of the
 * forward pass over a range of inputs, that outputs are finite even for extreme inputs, that both passes
 * are deterministic and leave their inputs alone, and that the provider's name and parameters are valid.
 */
public abstract class ActivationContract {

    /** @return the provider under test */
    protected abstract ActivationProvider provider();

    /** @return the parameters to create the activation with; none by default */
    protected Map<String, ?> parameters() {
        return Map.of();
    }

    /** @return the largest relative difference accepted between backward and finite differences */
    protected double tolerance() {
        return 1e-6;
    }

    /**
     * @return net inputs for the finite-difference check, away from points where the function has a
     *     kink; by default 60 values in [-5, 5] with none closer than 0.01 to 0
     */
    protected double[] sampleInputs() {
        SplittableRandom random = new SplittableRandom(7);
        double[] x = new double[60];
        for (int i = 0; i < x.length; i++) {
            double v = random.nextDouble(-5, 5);
            x[i] = Math.abs(v) < 0.01 ? v + Math.copySign(0.05, v) : v;
        }
        return x;
    }

    /** @return the batch width used to lay the inputs out (the inputs' count must be a multiple) */
    protected int columns() {
        return 4;
    }

    private Activation create() {
        return provider().create(parameters());
    }

    @Test
    void providerIsWellFormed() {
        ContractChecks.checkProvider(provider());
    }

    @Test
    void backwardAgreesWithFiniteDifferencesOfForward() {
        Activation activation = create();
        double[] net = sampleInputs();
        int cols = columns();
        int rows = net.length / cols;
        SplittableRandom random = new SplittableRandom(11);
        double[] gradOut = new double[net.length];
        for (int i = 0; i < gradOut.length; i++) {
            gradOut[i] = random.nextDouble(-1, 1);
        }
        double[] out = new double[net.length];
        double[] gradNet = new double[net.length];
        activation.forward(net, out, rows, cols);
        activation.backward(net, out, gradOut, gradNet, rows, cols);
        double h = 1e-6;
        for (int i = 0; i < rows * cols; i++) {
            double[] plus = net.clone();
            double[] minus = net.clone();
            plus[i] += h;
            minus[i] -= h;
            double[] outPlus = new double[net.length];
            double[] outMinus = new double[net.length];
            activation.forward(plus, outPlus, rows, cols);
            activation.forward(minus, outMinus, rows, cols);
            double numeric = 0;
            for (int k = 0; k < rows * cols; k++) {
                numeric += gradOut[k] * (outPlus[k] - outMinus[k]) / (2 * h);
            }
            ContractChecks.assertClose(numeric, gradNet[i], tolerance(),
                    provider().name() + " backward at net[" + i + "] = " + net[i]);
        }
    }

    @Test
    void outputsAndGradientsAreFiniteForExtremeInputs() {
        Activation activation = create();
        double[] net = {-1e3, -700, -50, -1e-300, 0, 1e-300, 50, 700, 1e3, -1, 1, 3};
        double[] out = new double[net.length];
        double[] grad = new double[net.length];
        double[] ones = new double[net.length];
        java.util.Arrays.fill(ones, 1.0);
        activation.forward(net, out, 3, 4);
        ContractChecks.assertFinite(out, net.length, provider().name() + " forward output");
        activation.backward(net, out, ones, grad, 3, 4);
        ContractChecks.assertFinite(grad, net.length, provider().name() + " backward output");
    }

    @Test
    void passesAreDeterministicAndDoNotModifyTheirInputs() {
        Activation activation = create();
        double[] net = sampleInputs();
        double[] netCopy = net.clone();
        int cols = columns();
        int rows = net.length / cols;
        double[] a = new double[net.length];
        double[] b = new double[net.length];
        activation.forward(net, a, rows, cols);
        activation.forward(net, b, rows, cols);
        assertArrayEquals(a, b, "forward must give the same result twice");
        assertArrayEquals(netCopy, net, "forward must not modify the net inputs");
        double[] gradOut = a.clone();
        double[] g1 = new double[net.length];
        double[] g2 = new double[net.length];
        activation.backward(net, a, gradOut, g1, rows, cols);
        activation.backward(net, a, gradOut, g2, rows, cols);
        assertArrayEquals(g1, g2, "backward must give the same result twice");
        assertArrayEquals(a, gradOut, "backward must not modify gradOut");
    }
}
