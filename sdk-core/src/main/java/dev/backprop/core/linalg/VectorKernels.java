package dev.backprop.core.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The products of a dense layer on the incubating Vector API, on the widest species the CPU has
 * ({@code DoubleVector.SPECIES_PREFERRED}: 8 lanes with AVX-512, 4 with AVX2). Loaded by {@link Kernels}
 * only when the JVM has the {@code jdk.incubator.vector} module; no other class of the SDK refers to it.
 *
 * <p>All three products run one micro-kernel, {@code C = bias + A B}: a tile of 4 rows by 3 vectors
 * keeps 12 accumulators in registers over the whole inner dimension, loading 3 vectors of {@code B}
 * and broadcasting 4 values of {@code A} per step, one fused multiply-add per pair. Each element's sum
 * starts from its bias and adds its terms in ascending order with one fused multiply-add each, in full
 * tiles, in narrower tiles at the edges and in the scalar tail ({@link Math#fma}) alike: an element has
 * the same bits whatever tile it lands in, so splitting the work across threads changes nothing. Nothing
 * is allocated once the code is compiled (the vectors live in registers).
 */
final class VectorKernels implements DoubleKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** Zeros to start the sums from when there is no bias (a vector constant would be boxed). */
    private static final double[] ZEROS = new double[3 * V];
    /** Rows of a full tile. */
    private static final int MR = 4;
    /** Columns of a full tile. */
    private static final int NR = 3 * V;

    /** Fails if the CPU has no SIMD registers the Vector API can use. */
    VectorKernels() {
        if (V < 2) {
            throw new UnsupportedOperationException("no SIMD species wider than one double");
        }
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    @Override
    public void affine(double[] x, double[] w, double[] b, double[] y, int rows, int in, int out, int from, int to) {
        // Batches of one to three (per-example descent): dot products, as in the plain Java kernels.
        ScalarKernels.INSTANCE.affine(x, w, b, y, rows, in, out, from, to);
    }

    @Override
    public void backwardInput(double[] d, double[] w, double[] g, int rows, int in, int out, int from, int to) {
        // G = D W: A = D (rows x out), B = W (out x in), columns [from, to).
        product(d, out, 1, w, in, null, g, in, out, 0, rows, from, to);
    }

    @Override
    public void weightGradient(double[] d, double[] x, double[] gw, double[] gb, int rows, int in, int out, int from, int to) {
        // GW = D^T X: A = D^T (A[j][r] = d[r * out + j]), B = X (rows x in), rows [from, to).
        product(d, 1, out, x, in, null, gw, in, rows, from, to, 0, in);
        if (gb != null) {
            for (int j = from; j < to; j++) {
                double sum = 0.0;
                for (int r = 0, i = j; r < rows; r++, i += out) {
                    sum += d[i];
                }
                gb[j] = sum;
            }
        }
    }

    @Override
    public void product(double[] a, int ams, int aps, double[] b, int ldb, double[] bias, double[] c, int ldc, int k,
            int m0, int m1, int n0, int n1) {
        int m = m0;
        for (; m + MR <= m1; m += MR) {
            int n = n0;
            for (; n + NR <= n1; n += NR) {
                tile4x3(a, ams, aps, b, ldb, bias, c, ldc, k, m, n);
            }
            for (; n + V <= n1; n += V) {
                tile4x1(a, ams, aps, b, ldb, bias, c, ldc, k, m, n);
            }
            for (; n < n1; n++) {
                for (int mm = m; mm < m + MR; mm++) {
                    c[mm * ldc + n] = single(a, ams, aps, b, ldb, bias, k, mm, n);
                }
            }
        }
        for (; m < m1; m++) {
            int n = n0;
            for (; n + NR <= n1; n += NR) {
                tile1x3(a, ams, aps, b, ldb, bias, c, ldc, k, m, n);
            }
            for (; n + V <= n1; n += V) {
                tile1x1(a, ams, aps, b, ldb, bias, c, ldc, k, m, n);
            }
            for (; n < n1; n++) {
                c[m * ldc + n] = single(a, ams, aps, b, ldb, bias, k, m, n);
            }
        }
    }

    /** One element, with the same fused multiply-adds in the same order as a vector lane. */
    private static double single(double[] a, int ams, int aps, double[] b, int ldb, double[] bias, int k, int m, int n) {
        double sum = bias == null ? 0.0 : bias[n];
        for (int p = 0, ai = m * ams, bi = n; p < k; p++, ai += aps, bi += ldb) {
            sum = Math.fma(a[ai], b[bi], sum);
        }
        return sum;
    }

    private static void tile4x3(double[] a, int ams, int aps, double[] b, int ldb, double[] bias, double[] c, int ldc, int k,
            int m, int n) {
        double[] z = bias == null ? ZEROS : bias;
        int zo = bias == null ? 0 : n;
        DoubleVector z0 = DoubleVector.fromArray(S, z, zo);
        DoubleVector z1 = DoubleVector.fromArray(S, z, zo + V);
        DoubleVector z2 = DoubleVector.fromArray(S, z, zo + 2 * V);
        DoubleVector c00 = z0, c01 = z1, c02 = z2;
        DoubleVector c10 = z0, c11 = z1, c12 = z2;
        DoubleVector c20 = z0, c21 = z1, c22 = z2;
        DoubleVector c30 = z0, c31 = z1, c32 = z2;
        int a0 = m * ams;
        int a1 = a0 + ams;
        int a2 = a1 + ams;
        int a3 = a2 + ams;
        for (int p = 0, ap = 0, bp = n; p < k; p++, ap += aps, bp += ldb) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bp + V);
            DoubleVector b2 = DoubleVector.fromArray(S, b, bp + 2 * V);
            DoubleVector x0 = DoubleVector.broadcast(S, a[a0 + ap]);
            c00 = b0.fma(x0, c00);
            c01 = b1.fma(x0, c01);
            c02 = b2.fma(x0, c02);
            DoubleVector x1 = DoubleVector.broadcast(S, a[a1 + ap]);
            c10 = b0.fma(x1, c10);
            c11 = b1.fma(x1, c11);
            c12 = b2.fma(x1, c12);
            DoubleVector x2 = DoubleVector.broadcast(S, a[a2 + ap]);
            c20 = b0.fma(x2, c20);
            c21 = b1.fma(x2, c21);
            c22 = b2.fma(x2, c22);
            DoubleVector x3 = DoubleVector.broadcast(S, a[a3 + ap]);
            c30 = b0.fma(x3, c30);
            c31 = b1.fma(x3, c31);
            c32 = b2.fma(x3, c32);
        }
        int c0 = m * ldc + n;
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + V);
        c02.intoArray(c, c0 + 2 * V);
        c0 += ldc;
        c10.intoArray(c, c0);
        c11.intoArray(c, c0 + V);
        c12.intoArray(c, c0 + 2 * V);
        c0 += ldc;
        c20.intoArray(c, c0);
        c21.intoArray(c, c0 + V);
        c22.intoArray(c, c0 + 2 * V);
        c0 += ldc;
        c30.intoArray(c, c0);
        c31.intoArray(c, c0 + V);
        c32.intoArray(c, c0 + 2 * V);
    }

    private static void tile4x1(double[] a, int ams, int aps, double[] b, int ldb, double[] bias, double[] c, int ldc, int k,
            int m, int n) {
        double[] z = bias == null ? ZEROS : bias;
        int zo = bias == null ? 0 : n;
        DoubleVector z0 = DoubleVector.fromArray(S, z, zo);
        DoubleVector c00 = z0;
        DoubleVector c10 = z0;
        DoubleVector c20 = z0;
        DoubleVector c30 = z0;
        int a0 = m * ams;
        int a1 = a0 + ams;
        int a2 = a1 + ams;
        int a3 = a2 + ams;
        for (int p = 0, ap = 0, bp = n; p < k; p++, ap += aps, bp += ldb) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bp);
            DoubleVector x0 = DoubleVector.broadcast(S, a[a0 + ap]);
            c00 = b0.fma(x0, c00);
            DoubleVector x1 = DoubleVector.broadcast(S, a[a1 + ap]);
            c10 = b0.fma(x1, c10);
            DoubleVector x2 = DoubleVector.broadcast(S, a[a2 + ap]);
            c20 = b0.fma(x2, c20);
            DoubleVector x3 = DoubleVector.broadcast(S, a[a3 + ap]);
            c30 = b0.fma(x3, c30);
        }
        int c0 = m * ldc + n;
        c00.intoArray(c, c0);
        c0 += ldc;
        c10.intoArray(c, c0);
        c0 += ldc;
        c20.intoArray(c, c0);
        c0 += ldc;
        c30.intoArray(c, c0);
    }

    private static void tile1x3(double[] a, int ams, int aps, double[] b, int ldb, double[] bias, double[] c, int ldc, int k,
            int m, int n) {
        double[] z = bias == null ? ZEROS : bias;
        int zo = bias == null ? 0 : n;
        DoubleVector z0 = DoubleVector.fromArray(S, z, zo);
        DoubleVector z1 = DoubleVector.fromArray(S, z, zo + V);
        DoubleVector z2 = DoubleVector.fromArray(S, z, zo + 2 * V);
        DoubleVector c00 = z0, c01 = z1, c02 = z2;
        int a0 = m * ams;
        for (int p = 0, ap = 0, bp = n; p < k; p++, ap += aps, bp += ldb) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bp + V);
            DoubleVector b2 = DoubleVector.fromArray(S, b, bp + 2 * V);
            DoubleVector x0 = DoubleVector.broadcast(S, a[a0 + ap]);
            c00 = b0.fma(x0, c00);
            c01 = b1.fma(x0, c01);
            c02 = b2.fma(x0, c02);
        }
        int c0 = m * ldc + n;
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + V);
        c02.intoArray(c, c0 + 2 * V);
    }

    private static void tile1x1(double[] a, int ams, int aps, double[] b, int ldb, double[] bias, double[] c, int ldc, int k,
            int m, int n) {
        double[] z = bias == null ? ZEROS : bias;
        int zo = bias == null ? 0 : n;
        DoubleVector z0 = DoubleVector.fromArray(S, z, zo);
        DoubleVector c00 = z0;
        int a0 = m * ams;
        for (int p = 0, ap = 0, bp = n; p < k; p++, ap += aps, bp += ldb) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bp);
            DoubleVector x0 = DoubleVector.broadcast(S, a[a0 + ap]);
            c00 = b0.fma(x0, c00);
        }
        int c0 = m * ldc + n;
        c00.intoArray(c, c0);
    }
}
