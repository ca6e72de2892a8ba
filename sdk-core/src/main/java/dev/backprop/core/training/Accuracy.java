package dev.backprop.core.training;

/**
 * Counts correct classifications in a batch. With several outputs the predicted class is the arg-max
 * of the outputs and the true class the arg-max of the (one-hot) targets; with one output both are
 * thresholded at 0.5 (a binary classifier).
 */
public final class Accuracy {
    private Accuracy() {
    }

    /**
     * @param output network outputs, {@code rows x cols}
     * @param target targets, {@code rows x cols}
     * @param rows the number of examples
     * @param cols the number of outputs
     * @return how many of the rows are classified correctly
     */
    public static int correct(double[] output, double[] target, int rows, int cols) {
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            int offset = r * cols;
            boolean hit = cols == 1
                    ? (output[offset] >= 0.5) == (target[offset] >= 0.5)
                    : argMax(output, offset, cols) == argMax(target, offset, cols);
            if (hit) {
                correct++;
            }
        }
        return correct;
    }

    /**
     * @param values an array
     * @param offset the first index to look at
     * @param length how many values to look at
     * @return the index (relative to {@code offset}) of the largest value; the first one on ties
     */
    public static int argMax(double[] values, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (values[offset + i] > values[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
