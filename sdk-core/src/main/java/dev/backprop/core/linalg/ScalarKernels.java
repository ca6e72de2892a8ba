package dev.backprop.core.linalg;

import java.util.Arrays;

/**
 * The products of a dense layer in plain Java. The batched forward pass runs a 4 x 4 register-blocked
 * kernel (sixteen running sums, eight loads per sixteen multiply-adds) reading the weights' rows in place;
 * a batch of one uses dot products with four partial sums; the backward passes are {@code axpy} loops over contiguous memory that skip
 * zero gradients (common behind a ReLU). No calls inside the inner loops. The dot-product and tiled forms
 * of the forward pass order their sums differently, so a batch of one and a larger batch may differ in
 * the last bits.
 */
final class ScalarKernels implements DoubleKernels {
    static final ScalarKernels INSTANCE = new ScalarKernels();

    /** Rows of the weight matrix kept hot while a batch streams past them. */
    private static final int BLOCK = 64;

    private ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void affine(double[] x, double[] w, double[] b, double[] y, int rows, int in, int out, int from, int to) {
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

    @Override
    public void backwardInput(double[] d, double[] w, double[] g, int rows, int in, int out, int from, int to) {
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

    @Override
    public void weightGradient(double[] d, double[] x, double[] gw, double[] gb, int rows, int in, int out, int from, int to) {
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

    @Override
    public void forward(double[] x, double[] w, double[] b, double[] y, int rows, int in, int out, int from, int to) {
        // Y = bias + X W^T read straight from W's rows: B[p][j] = w[j * in + p].
        tiles(x, in, 1, w, 1, in, b, y, out, in, 0, rows, from, to);
    }

    @Override
    public void product(double[] a, int ams, int aps, double[] b, int ldb, double[] bias, double[] c, int ldc, int k,
            int m0, int m1, int n0, int n1) {
        tiles(a, ams, aps, b, ldb, 1, bias, c, ldc, k, m0, m1, n0, n1);
    }

    /** {@code C = bias + A B} with {@code B[p][n] = b[p * bps + n * bns]}. */
    private static void tiles(double[] a, int ams, int aps, double[] b, int bps, int bns, double[] bias, double[] c, int ldc,
            int k, int m0, int m1, int n0, int n1) {
        // Tiles of 4 x 4 keep sixteen sums in registers over the whole of k; tiles and remainders add
        // their terms in the same order, so the result does not depend on how the ranges are split.
        int m = m0;
        for (; m + 3 < m1; m += 4) {
            int n = n0;
            for (; n + 3 < n1; n += 4) {
                tile(a, ams, aps, b, bps, bns, bias, c, ldc, k, m, n);
            }
            for (; n < n1; n++) {
                for (int mm = m; mm < m + 4; mm++) {
                    c[mm * ldc + n] = single(a, ams, aps, b, bps, bns, bias, k, mm, n);
                }
            }
        }
        for (; m < m1; m++) {
            for (int n = n0; n < n1; n++) {
                c[m * ldc + n] = single(a, ams, aps, b, bps, bns, bias, k, m, n);
            }
        }
    }

    private static double single(double[] a, int ams, int aps, double[] b, int bps, int bns, double[] bias, int k, int m, int n) {
        double sum = bias == null ? 0.0 : bias[n];
        for (int p = 0, ai = m * ams, bi = n * bns; p < k; p++, ai += aps, bi += bps) {
            sum += a[ai] * b[bi];
        }
        return sum;
    }

    private static void tile(double[] a, int ams, int aps, double[] b, int bps, int bns, double[] bias, double[] c, int ldc, int k,
            int m, int n) {
        double b0 = bias == null ? 0.0 : bias[n];
        double b1 = bias == null ? 0.0 : bias[n + 1];
        double b2 = bias == null ? 0.0 : bias[n + 2];
        double b3 = bias == null ? 0.0 : bias[n + 3];
        double s00 = b0, s01 = b1, s02 = b2, s03 = b3;
        double s10 = b0, s11 = b1, s12 = b2, s13 = b3;
        double s20 = b0, s21 = b1, s22 = b2, s23 = b3;
        double s30 = b0, s31 = b1, s32 = b2, s33 = b3;
        int a0 = m * ams;
        int a1 = a0 + ams;
        int a2 = a1 + ams;
        int a3 = a2 + ams;
        int col1 = bns;
        int col2 = 2 * bns;
        int col3 = 3 * bns;
        for (int p = 0, ap = 0, bk = n * bns; p < k; p++, ap += aps, bk += bps) {
            double w0 = b[bk];
            double w1 = b[bk + col1];
            double w2 = b[bk + col2];
            double w3 = b[bk + col3];
            double v = a[a0 + ap];
            s00 += v * w0;
            s01 += v * w1;
            s02 += v * w2;
            s03 += v * w3;
            v = a[a1 + ap];
            s10 += v * w0;
            s11 += v * w1;
            s12 += v * w2;
            s13 += v * w3;
            v = a[a2 + ap];
            s20 += v * w0;
            s21 += v * w1;
            s22 += v * w2;
            s23 += v * w3;
            v = a[a3 + ap];
            s30 += v * w0;
            s31 += v * w1;
            s32 += v * w2;
            s33 += v * w3;
        }
        int c0 = m * ldc + n;
        c[c0] = s00;
        c[c0 + 1] = s01;
        c[c0 + 2] = s02;
        c[c0 + 3] = s03;
        c0 += ldc;
        c[c0] = s10;
        c[c0 + 1] = s11;
        c[c0 + 2] = s12;
        c[c0 + 3] = s13;
        c0 += ldc;
        c[c0] = s20;
        c[c0 + 1] = s21;
        c[c0 + 2] = s22;
        c[c0 + 3] = s23;
        c0 += ldc;
        c[c0] = s30;
        c[c0 + 1] = s31;
        c[c0 + 2] = s32;
        c[c0 + 3] = s33;
    }

    /** {@code y[yOff + k] += a * x[xOff + k]} for {@code k < n}. */
    private static void axpy(double a, double[] x, int xOff, double[] y, int yOff, int n) {
        for (int k = 0; k < n; k++) {
            y[yOff + k] += a * x[xOff + k];
        }
    }
}
