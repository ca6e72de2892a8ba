package dev.backprop.core.training;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable in-memory set of examples: inputs and targets, stored row-major in flat arrays.
 * Construction checks that the data is non-empty, rectangular and finite.
 */
public final class Dataset {
    private final int size;
    private final int inputSize;
    private final int targetSize;
    private final double[] inputs;
    private final double[] targets;

    private Dataset(int size, int inputSize, int targetSize, double[] inputs, double[] targets) {
        this.size = size;
        this.inputSize = inputSize;
        this.targetSize = targetSize;
        this.inputs = inputs;
        this.targets = targets;
    }

    /**
     * @param inputs one row of features per example
     * @param targets one row of targets per example
     * @return the dataset (the arrays are copied)
     * @throws BackpropException ({@link ErrorCode#DATA_INVALID}) naming the row and column of the first
     *     problem: no examples, rows of different lengths, different counts of inputs and targets, or a
     *     NaN or infinite value
     */
    public static Dataset of(double[][] inputs, double[][] targets) {
        Objects.requireNonNull(inputs, "inputs must not be null");
        Objects.requireNonNull(targets, "targets must not be null");
        if (inputs.length == 0) {
            throw new BackpropException(ErrorCode.DATA_INVALID, "The dataset is empty: it needs at least one example.");
        }
        if (inputs.length != targets.length) {
            throw new BackpropException(ErrorCode.DATA_INVALID, "The dataset has " + inputs.length + " input rows but "
                    + targets.length + " target rows.");
        }
        int n = inputs.length;
        int in = checkedWidth(inputs, "inputs");
        int out = checkedWidth(targets, "targets");
        double[] x = flatten(inputs, in, "inputs");
        double[] t = flatten(targets, out, "targets");
        return new Dataset(n, in, out, x, t);
    }

    /**
     * A dataset of no rows that only has a shape: the driver of a run whose training rows stay on the
     * cluster builds the network and writes the model from it.
     *
     * @param inputSize the number of inputs, at least 1
     * @param targetSize the number of targets, at least 1
     * @return the empty dataset
     */
    public static Dataset empty(int inputSize, int targetSize) {
        if (inputSize < 1 || targetSize < 1) {
            throw new IllegalArgumentException("a dataset needs at least one input and one target");
        }
        return new Dataset(0, inputSize, targetSize, new double[0], new double[0]);
    }

    private static int checkedWidth(double[][] rows, String what) {
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] == null) {
                throw new BackpropException(ErrorCode.DATA_INVALID, "Row " + r + " of the " + what + " is null.");
            }
        }
        int width = rows[0].length;
        if (width == 0) {
            throw new BackpropException(ErrorCode.DATA_INVALID, "Row 0 of the " + what + " is empty.");
        }
        for (int r = 1; r < rows.length; r++) {
            if (rows[r].length != width) {
                throw new BackpropException(ErrorCode.DATA_INVALID, "Row " + r + " of the " + what + " has " + rows[r].length
                        + " values but row 0 has " + width + ".");
            }
        }
        return width;
    }

    private static double[] flatten(double[][] rows, int width, String what) {
        double[] flat = new double[Math.multiplyExact(rows.length, width)];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < width; c++) {
                double v = rows[r][c];
                if (!Double.isFinite(v)) {
                    throw new BackpropException(ErrorCode.DATA_INVALID, "The " + what + " at row " + r + ", column " + c
                            + " is " + v + "; only finite numbers are allowed.");
                }
                flat[r * width + c] = v;
            }
        }
        return flat;
    }

    /** @return the number of examples */
    public int size() {
        return size;
    }

    /** @return the number of features per example */
    public int inputSize() {
        return inputSize;
    }

    /** @return the number of targets per example */
    public int targetSize() {
        return targetSize;
    }

    /**
     * Whether the targets are classes, so that accuracy applies: every target is 0 or 1, and either
     * there is one target column (a yes/no class) or each row has exactly one 1 (one-hot classes).
     *
     * @return whether the targets are classes
     */
    public boolean hasClassTargets() {
        for (int r = 0; r < size; r++) {
            int ones = 0;
            for (int c = 0; c < targetSize; c++) {
                double v = targets[r * targetSize + c];
                if (v == 1) {
                    ones++;
                } else if (v != 0) {
                    return false;
                }
            }
            if (targetSize > 1 && ones != 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param index an example index
     * @return a copy of its inputs
     */
    public double[] input(int index) {
        java.util.Objects.checkIndex(index, size);
        return Arrays.copyOfRange(inputs, index * inputSize, (index + 1) * inputSize);
    }

    /**
     * @param row an example index
     * @param column an input column
     * @return that input value
     */
    public double inputValue(int row, int column) {
        java.util.Objects.checkIndex(row, size);
        java.util.Objects.checkIndex(column, inputSize);
        return inputs[row * inputSize + column];
    }

    /**
     * @param index an example index
     * @return a copy of its targets
     */
    public double[] target(int index) {
        java.util.Objects.checkIndex(index, size);
        return Arrays.copyOfRange(targets, index * targetSize, (index + 1) * targetSize);
    }

    /**
     * @param indices example indices, in the order wanted
     * @return a new dataset with those examples
     */
    public Dataset subset(int[] indices) {
        Objects.requireNonNull(indices, "indices must not be null");
        if (indices.length == 0) {
            throw new BackpropException(ErrorCode.DATA_INVALID, "A subset needs at least one example.");
        }
        for (int k = 0; k < indices.length; k++) {
            if (indices[k] < 0 || indices[k] >= size) {
                throw new BackpropException(ErrorCode.DATA_INVALID, "subset index " + k + " is " + indices[k]
                        + "; the dataset's examples are 0.." + (size - 1) + ".");
            }
        }
        double[] x = new double[indices.length * inputSize];
        double[] t = new double[indices.length * targetSize];
        for (int k = 0; k < indices.length; k++) {
            copyRowTo(indices[k], k, x, t);
        }
        return new Dataset(indices.length, inputSize, targetSize, x, t);
    }

    /** Copies example {@code index} into row {@code row} of the given batch buffers. */
    void copyRowTo(int index, int row, double[] x, double[] t) {
        System.arraycopy(inputs, index * inputSize, x, row * inputSize, inputSize);
        System.arraycopy(targets, index * targetSize, t, row * targetSize, targetSize);
    }

    /** Direct read access for batch loops in this package; never modified. */
    double[] inputArray() {
        return inputs;
    }

    double[] targetArray() {
        return targets;
    }
}
