package dev.backprop.core.data;

import dev.backprop.core.training.Dataset;

/**
 * An affine rescaling of each input column, {@code x' = (x - offset) / scale}, fitted on training data
 * and stored in the model so that prediction applies the same rescaling. A column with no spread keeps
 * a scale of 1.
 *
 * <p>Fitted from {@link ColumnStatistics}: the mean and variance come from exact sums, rounded once, so
 * the same rows give the same normalizer in any order and split among any number of machines.
 *
 * @param method {@code standard} (offset = mean, scale = population standard deviation) or
 *     {@code min-max} (offset = min, scale = max - min)
 * @param offset one value per input column
 * @param scale one value per input column, never 0
 */
public record Normalizer(String method, double[] offset, double[] scale) {

    /**
     * @param method {@code standard} or {@code min-max}
     * @param data the training examples
     * @return the fitted normalizer
     */
    public static Normalizer fit(String method, Dataset data) {
        ColumnStatistics statistics = new ColumnStatistics(data.inputSize());
        for (int r = 0; r < data.size(); r++) {
            statistics.add(data.input(r));
        }
        return statistics.normalizer(method);
    }

    /**
     * @param input one example's inputs
     * @return the rescaled inputs (a new array)
     */
    public double[] apply(double[] input) {
        double[] out = new double[input.length];
        for (int c = 0; c < input.length; c++) {
            out[c] = (input[c] - offset[c]) / scale[c];
        }
        return out;
    }

    /**
     * @param data examples
     * @return the examples with rescaled inputs
     */
    public Dataset apply(Dataset data) {
        double[][] x = new double[data.size()][];
        double[][] y = new double[data.size()][];
        for (int r = 0; r < data.size(); r++) {
            x[r] = apply(data.input(r));
            y[r] = data.target(r);
        }
        return Dataset.of(x, y);
    }
}
