package dev.backprop.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.api.LossFunction;
import dev.backprop.api.LossFunctionProvider;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link LossFunction} plugin: its gradient agrees with central finite differences of
 * the loss, the loss of a batch is the sum of the per-example losses, results are finite and
 * deterministic, and the inputs are left alone. Extend it and return your provider.
 */
public abstract class LossFunctionContract {

    /** @return the provider under test */
    protected abstract LossFunctionProvider provider();

    /** @return the parameters to create the loss with; none by default */
    protected Map<String, ?> parameters() {
        return Map.of();
    }

    /** @return the largest relative difference accepted between the gradient and finite differences */
    protected double tolerance() {
        return 1e-6;
    }

    /**
     * @param random a seeded generator
     * @return one network output; by default in (0.05, 0.95), valid for probability losses too
     */
    protected double sampleOutput(SplittableRandom random) {
        return random.nextDouble(0.05, 0.95);
    }

    /**
     * @param random a seeded generator
     * @return one target; by default in [0, 1]
     */
    protected double sampleTarget(SplittableRandom random) {
        return random.nextDouble();
    }

    private static final int ROWS = 4;
    private static final int COLS = 3;

    private double[][] sample() {
        SplittableRandom random = new SplittableRandom(5);
        double[] output = new double[ROWS * COLS];
        double[] target = new double[ROWS * COLS];
        for (int i = 0; i < output.length; i++) {
            output[i] = sampleOutput(random);
            target[i] = sampleTarget(random);
        }
        return new double[][] {output, target};
    }

    @Test
    void providerIsWellFormed() {
        ContractChecks.checkProvider(provider());
    }

    @Test
    void gradientAgreesWithFiniteDifferences() {
        LossFunction loss = provider().create(parameters());
        double[][] sample = sample();
        double[] output = sample[0];
        double[] target = sample[1];
        double[] gradient = new double[output.length];
        loss.gradient(output, target, gradient, ROWS, COLS);
        double h = 1e-6;
        for (int i = 0; i < output.length; i++) {
            double[] plus = output.clone();
            double[] minus = output.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (loss.loss(plus, target, ROWS, COLS) - loss.loss(minus, target, ROWS, COLS)) / (2 * h);
            ContractChecks.assertClose(numeric, gradient[i], tolerance(), provider().name() + " gradient at output[" + i + "]");
        }
    }

    @Test
    void batchLossIsTheSumOfPerExampleLosses() {
        LossFunction loss = provider().create(parameters());
        double[][] sample = sample();
        double total = loss.loss(sample[0], sample[1], ROWS, COLS);
        double sum = 0;
        for (int r = 0; r < ROWS; r++) {
            double[] o = java.util.Arrays.copyOfRange(sample[0], r * COLS, (r + 1) * COLS);
            double[] t = java.util.Arrays.copyOfRange(sample[1], r * COLS, (r + 1) * COLS);
            sum += loss.loss(o, t, 1, COLS);
        }
        ContractChecks.assertClose(sum, total, 1e-12, provider().name() + " batch loss vs sum of example losses");
        ContractChecks.assertFinite(new double[] {total}, 1, provider().name() + " loss");
    }

    @Test
    void deterministicAndLeavesInputsAlone() {
        LossFunction loss = provider().create(parameters());
        double[][] sample = sample();
        double[] output = sample[0].clone();
        double[] target = sample[1].clone();
        assertEquals(loss.loss(output, target, ROWS, COLS), loss.loss(output, target, ROWS, COLS));
        double[] g1 = new double[output.length];
        double[] g2 = new double[output.length];
        loss.gradient(output, target, g1, ROWS, COLS);
        loss.gradient(output, target, g2, ROWS, COLS);
        assertArrayEquals(g1, g2);
        assertArrayEquals(sample[0], output, "the outputs must not be modified");
        assertArrayEquals(sample[1], target, "the targets must not be modified");
    }
}
