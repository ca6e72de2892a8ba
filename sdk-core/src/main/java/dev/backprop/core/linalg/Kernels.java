package dev.backprop.core.linalg;

import java.util.Arrays;

/**
 * The matrix products of a dense layer on row-major {@code double[]} batches. Every inner loop is an
 * {@code axpy} ({@code y[k] += a * x[k]}) or a dot product over contiguous memory with no calls in it, so
 * the JIT can vectorise it; loops are blocked so that the rows they reuse stay in cache.
 *
 * <p>Every output element is computed by one call, summing its terms in a fixed order, whatever the
 * block sizes and however the work is split across threads by the {@code from}/{@code to} ranges: results
 * do not depend on the thread count. (The dot-product and axpy forms of the forward pass order their sums
 * differently, so a batch of one and a larger batch may differ in the last bits.)
 *
 * <p>Shapes: a batch {@code X} is {@code rows x in}, the weights {@code W} are {@code out x in} (one row
 * per output unit) and {@code WT} is their transpose ({@code in x out}); a gradient {@code D} with respect
 * to the layer output is {@code rows x out}.
 */
public final class Kernels {
    /** Rows of the weight matrix kept hot while a batch streams past them. */
    private static final int BLOCK = 64;

    private Kernels() {
    }

    /**
     * Forward, dot-product form for small batches: {@code Y[r][j] = b[j] + sum_i W[j][i] X[r][i]} for
     * {@code j} in {@code [from, to)}.
     *
     * @param x the input batch, {@code rows x in}
     * @param w the weights, {@code out x in}
     * @param b the bias of length {@code out}, or {@code null} for none
     * @param y receives the outputs, {@code rows x out}
     * @param rows the batch size
     * @param in the number of inputs
     * @param out the number of outputs
     * @param from the first output unit to compute
     * @param to one past the last output unit to compute
     */
    public static void affine(double[] x, double[] w, double[] b, double[] y, int rows, int in, int out, int from, int to) {
        for (int r = 0; r < rows; r++) {
            int xRow = r * in;
            int yRow = r * out;
            for (int j = from; j < to; j++) {
                int wRow = j * in;
                // Four independent partial sums hide the latency of the additions; their order is fixed.
                double s0 = 0.0;
                double s1 = 0.0;
                double s2 = 0.0;
                double s3 = 0.0;
                int i = 0;
                for (; i + 3 < in; i += 4) {
                    s0 += w[wRow + i] * x[xRow + i];
                    s1 += w[wRow + i + 1] * x[xRow + i + 1];
                    s2 += w[wRow + i + 2] * x[xRow + i + 2];
                    s3 += w[wRow + i + 3] * x[xRow + i + 3];
                }
                for (; i < in; i++) {
                    s0 += w[wRow + i] * x[xRow + i];
                }
                double sum = (s0 + s1) + (s2 + s3);
                y[yRow + j] = b == null ? sum : sum + b[j];
            }
        }
    }

    /**
     * Forward, axpy form for batches: {@code Y[r][j] = b[j] + sum_i X[r][i] WT[i][j]} for {@code j} in
     * {@code [from, to)}. Inputs that are exactly 0 (common after a ReLU) are skipped.
     *
     * @param x the input batch, {@code rows x in}
     * @param wt the transposed weights, {@code in x out}
     * @param b the bias of length {@code out}, or {@code null} for none
     * @param y receives the outputs, {@code rows x out}
     * @param rows the batch size
     * @param in the number of inputs
     * @param out the number of outputs
     * @param from the first output unit to compute
     * @param to one past the last output unit to compute
     */
    public static void affineTransposed(double[] x, double[] wt, double[] b, double[] y, int rows, int in, int out, int from, int to) {
        for (int r = 0; r < rows; r++) {
            int yRow = r * out;
            if (b == null) {
                Arrays.fill(y, yRow + from, yRow + to, 0.0);
            } else {
                System.arraycopy(b, from, y, yRow + from, to - from);
            }
        }
        for (int i0 = 0; i0 < in; i0 += BLOCK) {
            int i1 = Math.min(i0 + BLOCK, in);
            for (int r = 0; r < rows; r++) {
                int xRow = r * in;
                int yRow = r * out;
                for (int i = i0; i < i1; i++) {
                    double xi = x[xRow + i];
                    if (xi != 0.0) {
                        axpy(xi, wt, i * out + from, y, yRow + from, to - from);
                    }
                }
            }
        }
    }

    /**
     * Backward to the inputs: {@code G[r][i] = sum_j D[r][j] W[j][i]} for {@code i} in {@code [from, to)}.
     *
     * @param d the gradient with respect to the outputs, {@code rows x out}
     * @param w the weights, {@code out x in}
     * @param g receives the gradient with respect to the inputs, {@code rows x in}
     * @param rows the batch size
     * @param in the number of inputs
     * @param out the number of outputs
     * @param from the first input unit to compute
     * @param to one past the last input unit to compute
     */
    public static void backwardInput(double[] d, double[] w, double[] g, int rows, int in, int out, int from, int to) {
        for (int r = 0; r < rows; r++) {
            Arrays.fill(g, r * in + from, r * in + to, 0.0);
        }
        for (int j0 = 0; j0 < out; j0 += BLOCK) {
            int j1 = Math.min(j0 + BLOCK, out);
            for (int r = 0; r < rows; r++) {
                int gRow = r * in;
                int dRow = r * out;
                for (int j = j0; j < j1; j++) {
                    double dj = d[dRow + j];
                    if (dj != 0.0) {
                        axpy(dj, w, j * in + from, g, gRow + from, to - from);
                    }
                }
            }
        }
    }

    /**
     * Weight gradient: {@code GW[j][i] = sum_r D[r][j] X[r][i]} and {@code gb[j] = sum_r D[r][j]} for
     * {@code j} in {@code [from, to)}. Overwrites those rows of {@code gw} and entries of {@code gb}.
     *
     * @param d the gradient with respect to the outputs, {@code rows x out}
     * @param x the input batch, {@code rows x in}
     * @param gw receives the weight gradient, {@code out x in}
     * @param gb receives the bias gradient of length {@code out}, or {@code null} for none
     * @param rows the batch size
     * @param in the number of inputs
     * @param out the number of outputs
     * @param from the first output unit to compute
     * @param to one past the last output unit to compute
     */
    public static void weightGradient(double[] d, double[] x, double[] gw, double[] gb, int rows, int in, int out, int from, int to) {
        if (rows == 1) {
            // Per-example descent: the gradient is an outer product, written without clearing first.
            for (int j = from; j < to; j++) {
                double dj = d[j];
                int gRow = j * in;
                for (int i = 0; i < in; i++) {
                    gw[gRow + i] = dj * x[i];
                }
                if (gb != null) {
                    gb[j] = dj;
                }
            }
            return;
        }
        for (int j = from; j < to; j++) {
            int gRow = j * in;
            Arrays.fill(gw, gRow, gRow + in, 0.0);
            double bias = 0.0;
            for (int r = 0; r < rows; r++) {
                double dj = d[r * out + j];
                bias += dj;
                if (dj != 0.0) {
                    axpy(dj, x, r * in, gw, gRow, in);
                }
            }
            if (gb != null) {
                gb[j] = bias;
            }
        }
    }

    /**
     * {@code wt = w^T} for the columns {@code [from, to)} of {@code wt}.
     *
     * @param w the weights, {@code out x in}
     * @param wt receives the transpose, {@code in x out}
     * @param in the number of inputs
     * @param out the number of outputs
     * @param from the first output unit (column of {@code wt}) to copy
     * @param to one past the last
     */
    public static void transpose(double[] w, double[] wt, int in, int out, int from, int to) {
        for (int j = from; j < to; j++) {
            int wRow = j * in;
            for (int i = 0; i < in; i++) {
                wt[i * out + j] = w[wRow + i];
            }
        }
    }

    /** {@code y[yOff + k] += a * x[xOff + k]} for {@code k < n}. */
    private static void axpy(double a, double[] x, int xOff, double[] y, int yOff, int n) {
        for (int k = 0; k < n; k++) {
            y[yOff + k] += a * x[xOff + k];
        }
    }
}
