package dev.backprop.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.api.WeightInitializer;
import dev.backprop.api.WeightInitializerProvider;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link WeightInitializer} plugin: it fills every weight and bias, takes its randomness
 * only from the generator it is given (same seed, same weights), and its statistics match what it claims
 * ({@link #expectedVariance(int, int)}). Extend it and return your provider.
 */
public abstract class WeightInitializerContract {

    /** @return the provider under test */
    protected abstract WeightInitializerProvider provider();

    /** @return the parameters to create the initializer with; none by default */
    protected Map<String, ?> parameters() {
        return Map.of();
    }

    /** @return {fanIn, fanOut} of the layer the checks fill; 200 x 300 by default */
    protected int[] shape() {
        return new int[] {200, 300};
    }

    /** @return whether the weights are random (then different seeds must give different weights) */
    protected boolean isRandom() {
        return true;
    }

    /**
     * @param fanIn the layer's inputs
     * @param fanOut the layer's outputs
     * @return the variance of the weights this initializer claims, or NaN to skip the statistics check
     */
    protected double expectedVariance(int fanIn, int fanOut) {
        return Double.NaN;
    }

    private double[][] fill(long seed) {
        int fanIn = shape()[0];
        int fanOut = shape()[1];
        double[] w = new double[fanIn * fanOut];
        double[] b = new double[fanOut];
        Arrays.fill(w, Double.NaN);
        Arrays.fill(b, Double.NaN);
        provider().create(parameters()).initialize(w, b, fanIn, fanOut, new SplittableRandom(seed));
        return new double[][] {w, b};
    }

    @Test
    void providerIsWellFormed() {
        ContractChecks.checkProvider(provider());
    }

    @Test
    void fillsEveryWeightAndBias() {
        double[][] filled = fill(1);
        ContractChecks.assertFinite(filled[0], filled[0].length, provider().name() + " weight");
        ContractChecks.assertFinite(filled[1], filled[1].length, provider().name() + " bias");
    }

    @Test
    void respectsTheSeed() {
        assertArrayEquals(fill(42)[0], fill(42)[0], "the same seed must give the same weights");
        if (isRandom()) {
            assertFalse(Arrays.equals(fill(42)[0], fill(43)[0]), "different seeds should give different weights");
        }
    }

    @Test
    void statisticsMatchWhatItClaims() {
        double expected = expectedVariance(shape()[0], shape()[1]);
        if (Double.isNaN(expected)) {
            return;
        }
        double[] w = fill(3)[0];
        double mean = Arrays.stream(w).average().orElseThrow();
        double variance = Arrays.stream(w).map(v -> (v - mean) * (v - mean)).sum() / w.length;
        assertTrue(Math.abs(variance - expected) < 0.03 * expected,
                provider().name() + ": variance " + variance + ", claimed " + expected);
        assertTrue(Math.abs(mean) < 5 * Math.sqrt(variance / w.length), provider().name() + ": mean " + mean + " should be about 0");
    }
}
