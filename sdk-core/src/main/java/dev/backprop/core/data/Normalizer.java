package dev.backprop.core.data;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
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
    /** The methods a normalizer may use. */
    public static final java.util.List<String> METHODS = java.util.List.of("standard", "min-max");

    /**
     * Checks the values, so that a normalizer that is saved can always be read back.
     *
     * @param method {@code standard} or {@code min-max}
     * @param offset one value per input column, finite
     * @param scale one value per input column, finite and not 0
     * @throws BackpropException ({@link ErrorCode#DATA_INVALID}) naming the value at fault
     */
    public Normalizer {
        java.util.Objects.requireNonNull(method, "method must not be null");
        java.util.Objects.requireNonNull(offset, "offset must not be null");
        java.util.Objects.requireNonNull(scale, "scale must not be null");
        checkMethod(method);
        if (offset.length != scale.length || offset.length == 0) {
            throw new BackpropException(ErrorCode.DATA_INVALID, "a normalizer needs one offset and one scale per input "
                    + "column; got " + offset.length + " offsets and " + scale.length + " scales.");
        }
        for (int c = 0; c < scale.length; c++) {
            if (!Double.isFinite(offset[c]) || !Double.isFinite(scale[c]) || scale[c] == 0) {
                throw new BackpropException(ErrorCode.DATA_INVALID, "normalizer column " + c + ": offset " + offset[c]
                        + " and scale " + scale[c] + "; both must be finite and the scale not 0.");
            }
        }
        offset = offset.clone();
        scale = scale.clone();
    }

    /**
     * @param method {@code standard} or {@code min-max}
     * @param data the training examples
     * @return the fitted normalizer
     */
    public static Normalizer fit(String method, Dataset data) {
        java.util.Objects.requireNonNull(method, "method must not be null");
        java.util.Objects.requireNonNull(data, "data must not be null");
        checkMethod(method);
        ColumnStatistics statistics = new ColumnStatistics(data.inputSize());
        for (int r = 0; r < data.size(); r++) {
            statistics.add(data.input(r));
        }
        return statistics.normalizer(method);
    }

    private static void checkMethod(String method) {
        if (!METHODS.contains(method)) {
            throw new BackpropException(ErrorCode.DATA_INVALID, "unknown normalization method '" + method + "'; allowed: "
                    + String.join(", ", METHODS) + ".");
        }
    }

    /**
     * @param input one example's inputs
     * @return the rescaled inputs (a new array)
     */
    public double[] apply(double[] input) {
        if (input.length != offset.length) {
            throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "the normalizer rescales " + offset.length
                    + " input columns but the example has " + input.length + ".");
        }
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
