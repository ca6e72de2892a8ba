package dev.backprop.core.linalg;

/**
 * The three matrix products of a dense layer on row-major {@code double[]} batches. Each inner loop runs
 * over contiguous memory with no calls, so the JIT can vectorise it, and every reduction runs in a fixed
 * order, so results do not depend on anything but the inputs.
 *
 * <p>Shapes: a batch {@code X} is {@code rows x in}, the weights {@code W} are {@code out x in} (one row
 * per output unit), a gradient {@code D} with respect to the layer output is {@code rows x out}.
 */
public final class Kernels {
    private Kernels() {
    }

    /**
     * Forward: {@code Y = X W^T + b}, that is {@code Y[r][j] = b[j] + sum_i W[j][i] X[r][i]}.
     *
     * @param x the input batch, {@code rows x in}
     * @param w the weights, {@code out x in}
     * @param b the bias of length {@code out}, or {@code null} for none
     * @param y receives the outputs, {@code rows x out}
     * @param rows the batch size
     * @param in the number of inputs
     * @param out the number of outputs
     */
    public static void affine(double[] x, double[] w, double[] b, double[] y, int rows, int in, int out) {
        for (int r = 0; r < rows; r++) {
            int xRow = r * in;
            int yRow = r * out;
            for (int j = 0; j < out; j++) {
                int wRow = j * in;
                double sum = 0.0;
                for (int i = 0; i < in; i++) {
                    sum += w[wRow + i] * x[xRow + i];
                }
                y[yRow + j] = b == null ? sum : sum + b[j];
            }
        }
    }

    /**
     * Backward to the inputs: {@code G = D W}, that is {@code G[r][i] = sum_j D[r][j] W[j][i]}.
     *
     * @param d the gradient with respect to the outputs, {@code rows x out}
     * @param w the weights, {@code out x in}
     * @param g receives the gradient with respect to the inputs, {@code rows x in}
     * @param rows the batch size
     * @param in the number of inputs
     * @param out the number of outputs
     */
    public static void backwardInput(double[] d, double[] w, double[] g, int rows, int in, int out) {
        for (int r = 0; r < rows; r++) {
            int gRow = r * in;
            java.util.Arrays.fill(g, gRow, gRow + in, 0.0);
            for (int j = 0; j < out; j++) {
                double dj = d[r * out + j];
                int wRow = j * in;
                for (int i = 0; i < in; i++) {
                    g[gRow + i] += dj * w[wRow + i];
                }
            }
        }
    }

    /**
     * Weight gradient: {@code GW = D^T X} and {@code gb = column sums of D}, that is
     * {@code GW[j][i] = sum_r D[r][j] X[r][i]}. Overwrites {@code gw} and {@code gb}.
     *
     * @param d the gradient with respect to the outputs, {@code rows x out}
     * @param x the input batch, {@code rows x in}
     * @param gw receives the weight gradient, {@code out x in}
     * @param gb receives the bias gradient of length {@code out}, or {@code null} for none
     * @param rows the batch size
     * @param in the number of inputs
     * @param out the number of outputs
     */
    public static void weightGradient(double[] d, double[] x, double[] gw, double[] gb, int rows, int in, int out) {
        java.util.Arrays.fill(gw, 0, out * in, 0.0);
        if (gb != null) {
            java.util.Arrays.fill(gb, 0, out, 0.0);
        }
        for (int r = 0; r < rows; r++) {
            int xRow = r * in;
            for (int j = 0; j < out; j++) {
                double dj = d[r * out + j];
                if (gb != null) {
                    gb[j] += dj;
                }
                int gRow = j * in;
                for (int i = 0; i < in; i++) {
                    gw[gRow + i] += dj * x[xRow + i];
                }
            }
        }
    }
}
