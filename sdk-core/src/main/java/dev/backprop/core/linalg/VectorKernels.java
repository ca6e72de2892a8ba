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
 * is allocated once the code is compiled (the vectors live in registers; each thread keeps one forward panel).
 *
 * <p>The forward product {@code X W^T} needs {@code W}'s rows as columns: it copies blocks of them into a
 * small packed panel, instead of transposing the whole matrix on every pass.
 */
final class VectorKernels implements DoubleKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** Partial sums of a dot product: as many as the widest (AVX-512) register holds, whatever this CPU's width. */
    static final int DOT_LANES = 8;
    /** Zeros to start the sums from when there is no bias (a vector constant would be boxed). */
    private static final double[] ZEROS = new double[Math.max(3 * V, DOT_LANES)];
    /** Rows of a full tile. */
    private static final int MR = 4;
    /** Columns of a full tile. */
    private static final int NR = 3 * V;
    /** Inner-dimension block of a packed forward panel: KC x NR doubles (48 KB with AVX-512) stay in L1/L2. */
    static final int KC = 256;
    /** Each thread's forward panel (and scratch for the lanes of dot products), made once per thread. */
    private static final ThreadLocal<double[]> PANEL = ThreadLocal.withInitial(() -> new double[KC * NR]);

    /** Fails if the CPU has no SIMD registers the Vector API can use. */
    VectorKernels() {
        if (V < 2) {
            throw new UnsupportedOperationException("the JVM offers no SIMD register wider than one double");
        }
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    @Override
    public String unsuitable() {
        // Two-lane registers (SSE, or a JVM limited by -XX:UseAVX=0 or MaxVectorSize) gain nothing over plain Java.
        return V < 4 ? "the widest SIMD register the JVM uses holds only " + V + " doubles" : null;
    }

    @Override
    public void affine(double[] x, double[] w, double[] b, double[] y, int rows, int in, int out, int from, int to) {
        // Batches of one to three (per-example descent): dot products. Lane l of a sum (l < DOT_LANES) adds the
        // terms l, l + 8, l + 16, ... in ascending order with fused multiply-adds; the lanes are then added in
        // lane order, the tail of in % 8 terms after them and the bias last. That order depends on the shapes
        // alone, not on the range nor on the register width: 4-double (AVX2) registers hold the 8 lanes in two.
        if (in < DOT_LANES) {
            ScalarKernels.INSTANCE.affine(x, w, b, y, rows, in, out, from, to);
            return;
        }
        double[] lanes = PANEL.get();
        int full = in - in % DOT_LANES;
        for (int r = 0; r < rows; r++) {
            int xr = r * in;
            int yr = r * out;
            int j = from;
            if (V == DOT_LANES) {
                // Four output units at a time, so each vector of x is loaded once for four rows of W.
                for (; j + 4 <= to; j += 4) {
                    int w0 = j * in;
                    int w1 = w0 + in;
                    int w2 = w1 + in;
                    int w3 = w2 + in;
                    DoubleVector s0 = DoubleVector.fromArray(S, ZEROS, 0);
                    DoubleVector s1 = s0;
                    DoubleVector s2 = s0;
                    DoubleVector s3 = s0;
                    for (int i = 0; i < full; i += V) {
                        DoubleVector xv = DoubleVector.fromArray(S, x, xr + i);
                        s0 = DoubleVector.fromArray(S, w, w0 + i).fma(xv, s0);
                        s1 = DoubleVector.fromArray(S, w, w1 + i).fma(xv, s1);
                        s2 = DoubleVector.fromArray(S, w, w2 + i).fma(xv, s2);
                        s3 = DoubleVector.fromArray(S, w, w3 + i).fma(xv, s3);
                    }
                    s0.intoArray(lanes, 0);
                    s1.intoArray(lanes, V);
                    s2.intoArray(lanes, 2 * V);
                    s3.intoArray(lanes, 3 * V);
                    y[yr + j] = finishDot(lanes, 0, x, xr, w, w0, full, in, b, j);
                    y[yr + j + 1] = finishDot(lanes, V, x, xr, w, w1, full, in, b, j + 1);
                    y[yr + j + 2] = finishDot(lanes, 2 * V, x, xr, w, w2, full, in, b, j + 2);
                    y[yr + j + 3] = finishDot(lanes, 3 * V, x, xr, w, w3, full, in, b, j + 3);
                }
            }
            for (; j < to; j++) {
                int w0 = j * in;
                dotLanes(x, xr, w, w0, full, lanes);
                y[yr + j] = finishDot(lanes, 0, x, xr, w, w0, full, in, b, j);
            }
        }
    }

    /** The {@code DOT_LANES} lane sums of one dot product into {@code lanes[0, DOT_LANES)}, for any register width. */
    private static void dotLanes(double[] x, int xr, double[] w, int wr, int full, double[] lanes) {
        if (V == DOT_LANES) {
            DoubleVector s0 = DoubleVector.fromArray(S, ZEROS, 0);
            for (int i = 0; i < full; i += V) {
                s0 = DoubleVector.fromArray(S, w, wr + i).fma(DoubleVector.fromArray(S, x, xr + i), s0);
            }
            s0.intoArray(lanes, 0);
        } else if (2 * V == DOT_LANES) {
            DoubleVector low = DoubleVector.fromArray(S, ZEROS, 0);
            DoubleVector high = low;
            for (int i = 0; i < full; i += DOT_LANES) {
                low = DoubleVector.fromArray(S, w, wr + i).fma(DoubleVector.fromArray(S, x, xr + i), low);
                high = DoubleVector.fromArray(S, w, wr + i + V).fma(DoubleVector.fromArray(S, x, xr + i + V), high);
            }
            low.intoArray(lanes, 0);
            high.intoArray(lanes, V);
        } else {
            // Other widths (2-double registers, chosen only on request): the same lanes one term at a time.
            java.util.Arrays.fill(lanes, 0, DOT_LANES, 0.0);
            for (int i = 0; i < full; i++) {
                lanes[i % DOT_LANES] = Math.fma(w[wr + i], x[xr + i], lanes[i % DOT_LANES]);
            }
        }
    }

    /** Adds the lanes of a dot product in lane order, then the tail terms, then the bias. */
    private static double finishDot(double[] lanes, int l0, double[] x, int xr, double[] w, int wr, int full, int in, double[] b,
            int j) {
        double sum = lanes[l0];
        for (int l = 1; l < DOT_LANES; l++) {
            sum += lanes[l0 + l];
        }
        for (int i = full; i < in; i++) {
            sum = Math.fma(x[xr + i], w[wr + i], sum);
        }
        return b == null ? sum : sum + b[j];
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
    public void forward(double[] x, double[] w, double[] b, double[] y, int rows, int in, int out, int from, int to) {
        // Y = bias + X W^T. W's rows are the columns wanted here, so each block of NR (or V) output units
        // is copied once into a panel of KC x NR contiguous values (a local transpose that stays in cache),
        // which every row tile of the batch then reads; the sums carry over from one KC block to the next
        // in C itself, so each element still adds its terms in ascending order from its bias.
        double[] panel = PANEL.get();
        int n = from;
        for (; n + NR <= to; n += NR) {
            forwardPanel(x, w, b, y, rows, in, out, n, NR, panel);
        }
        if (n + 2 * V <= to) {
            forwardPanel(x, w, b, y, rows, in, out, n, 2 * V, panel);
            n += 2 * V;
        }
        for (; n + V <= to; n += V) {
            forwardPanel(x, w, b, y, rows, in, out, n, V, panel);
        }
        for (; n < to; n++) {
            int wRow = n * in;
            for (int r = 0; r < rows; r++) {
                double sum = b == null ? 0.0 : b[n];
                for (int p = 0, xi = r * in; p < in; p++, xi++) {
                    sum = Math.fma(x[xi], w[wRow + p], sum);
                }
                y[r * out + n] = sum;
            }
        }
    }

    /** Output units {@code [n, n + width)} of every row, {@code width} being {@code NR}, {@code 2 V} or {@code V}. */
    private static void forwardPanel(double[] x, double[] w, double[] b, double[] y, int rows, int in, int out, int n,
            int width, double[] panel) {
        for (int p0 = 0; p0 < in; p0 += KC) {
            int kc = Math.min(KC, in - p0);
            for (int col = 0; col < width; col++) {
                for (int q = 0, wi = (n + col) * in + p0, pi = col; q < kc; q++, wi++, pi += width) {
                    panel[pi] = w[wi];
                }
            }
            // The first block starts from the bias (the same for every row), later ones from C's running sums.
            double[] z = p0 > 0 ? y : b == null ? ZEROS : b;
            int zs = p0 > 0 ? out : 0;
            int m = 0;
            for (; m + MR <= rows; m += MR) {
                int zo = p0 > 0 ? m * out + n : b == null ? 0 : n;
                if (width == NR) {
                    tile4x3(x, m * in + p0, in, 1, panel, 0, NR, z, zo, zs, y, m * out + n, out, kc);
                } else if (width == 2 * V) {
                    tile4x2(x, m * in + p0, in, 1, panel, 0, 2 * V, z, zo, zs, y, m * out + n, out, kc);
                } else {
                    tile4x1(x, m * in + p0, in, 1, panel, 0, V, z, zo, zs, y, m * out + n, out, kc);
                }
            }
            for (; m < rows; m++) {
                int zo = p0 > 0 ? m * out + n : b == null ? 0 : n;
                if (width == NR) {
                    tile1x3(x, m * in + p0, 1, panel, 0, NR, z, zo, y, m * out + n, kc);
                } else {
                    for (int v = 0; v < width; v += V) {
                        tile1x1(x, m * in + p0, 1, panel, v, width, z, zo + v, y, m * out + n + v, kc);
                    }
                }
            }
        }
    }

    @Override
    public void product(double[] a, int ams, int aps, double[] b, int ldb, double[] bias, double[] c, int ldc, int k,
            int m0, int m1, int n0, int n1) {
        double[] z = bias == null ? ZEROS : bias;
        int m = m0;
        for (; m + MR <= m1; m += MR) {
            int n = n0;
            for (; n + NR <= n1; n += NR) {
                tile4x3(a, m * ams, ams, aps, b, n, ldb, z, bias == null ? 0 : n, 0, c, m * ldc + n, ldc, k);
            }
            if (n + 2 * V <= n1) {
                tile4x2(a, m * ams, ams, aps, b, n, ldb, z, bias == null ? 0 : n, 0, c, m * ldc + n, ldc, k);
                n += 2 * V;
            }
            for (; n + V <= n1; n += V) {
                tile4x1(a, m * ams, ams, aps, b, n, ldb, z, bias == null ? 0 : n, 0, c, m * ldc + n, ldc, k);
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
                tile1x3(a, m * ams, aps, b, n, ldb, z, bias == null ? 0 : n, c, m * ldc + n, k);
            }
            for (; n + V <= n1; n += V) {
                tile1x1(a, m * ams, aps, b, n, ldb, z, bias == null ? 0 : n, c, m * ldc + n, k);
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

    // The tiles: C[r][c] = Z[r][c] + sum_p A[r][p] B[p][c] over a tile of rows r and columns c, where
    // A[r][p] = a[ai + r * ams + p * aps], B[p][c] = b[bi + p * ldb + c], C[r][c] = c[ci + r * ldc + c] and
    // the start values Z[r][c] = z[zo + r * zs + c] (zs = 0: one bias row for all; zs = ldc with z = c: C itself).

    private static void tile4x3(double[] a, int ai, int ams, int aps, double[] b, int bi, int ldb, double[] z, int zo, int zs,
            double[] c, int ci, int ldc, int k) {
        DoubleVector c00 = DoubleVector.fromArray(S, z, zo);
        DoubleVector c01 = DoubleVector.fromArray(S, z, zo + V);
        DoubleVector c02 = DoubleVector.fromArray(S, z, zo + 2 * V);
        DoubleVector c10 = DoubleVector.fromArray(S, z, zo + zs);
        DoubleVector c11 = DoubleVector.fromArray(S, z, zo + zs + V);
        DoubleVector c12 = DoubleVector.fromArray(S, z, zo + zs + 2 * V);
        DoubleVector c20 = DoubleVector.fromArray(S, z, zo + 2 * zs);
        DoubleVector c21 = DoubleVector.fromArray(S, z, zo + 2 * zs + V);
        DoubleVector c22 = DoubleVector.fromArray(S, z, zo + 2 * zs + 2 * V);
        DoubleVector c30 = DoubleVector.fromArray(S, z, zo + 3 * zs);
        DoubleVector c31 = DoubleVector.fromArray(S, z, zo + 3 * zs + V);
        DoubleVector c32 = DoubleVector.fromArray(S, z, zo + 3 * zs + 2 * V);
        int a0 = ai;
        int a1 = a0 + ams;
        int a2 = a1 + ams;
        int a3 = a2 + ams;
        for (int p = 0, ap = 0, bp = bi; p < k; p++, ap += aps, bp += ldb) {
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
        int c0 = ci;
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

    private static void tile4x2(double[] a, int ai, int ams, int aps, double[] b, int bi, int ldb, double[] z, int zo, int zs,
            double[] c, int ci, int ldc, int k) {
        DoubleVector c00 = DoubleVector.fromArray(S, z, zo);
        DoubleVector c01 = DoubleVector.fromArray(S, z, zo + V);
        DoubleVector c10 = DoubleVector.fromArray(S, z, zo + zs);
        DoubleVector c11 = DoubleVector.fromArray(S, z, zo + zs + V);
        DoubleVector c20 = DoubleVector.fromArray(S, z, zo + 2 * zs);
        DoubleVector c21 = DoubleVector.fromArray(S, z, zo + 2 * zs + V);
        DoubleVector c30 = DoubleVector.fromArray(S, z, zo + 3 * zs);
        DoubleVector c31 = DoubleVector.fromArray(S, z, zo + 3 * zs + V);
        int a0 = ai;
        int a1 = a0 + ams;
        int a2 = a1 + ams;
        int a3 = a2 + ams;
        for (int p = 0, ap = 0, bp = bi; p < k; p++, ap += aps, bp += ldb) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bp + V);
            DoubleVector x0 = DoubleVector.broadcast(S, a[a0 + ap]);
            c00 = b0.fma(x0, c00);
            c01 = b1.fma(x0, c01);
            DoubleVector x1 = DoubleVector.broadcast(S, a[a1 + ap]);
            c10 = b0.fma(x1, c10);
            c11 = b1.fma(x1, c11);
            DoubleVector x2 = DoubleVector.broadcast(S, a[a2 + ap]);
            c20 = b0.fma(x2, c20);
            c21 = b1.fma(x2, c21);
            DoubleVector x3 = DoubleVector.broadcast(S, a[a3 + ap]);
            c30 = b0.fma(x3, c30);
            c31 = b1.fma(x3, c31);
        }
        int c0 = ci;
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + V);
        c0 += ldc;
        c10.intoArray(c, c0);
        c11.intoArray(c, c0 + V);
        c0 += ldc;
        c20.intoArray(c, c0);
        c21.intoArray(c, c0 + V);
        c0 += ldc;
        c30.intoArray(c, c0);
        c31.intoArray(c, c0 + V);
    }

    private static void tile4x1(double[] a, int ai, int ams, int aps, double[] b, int bi, int ldb, double[] z, int zo, int zs,
            double[] c, int ci, int ldc, int k) {
        DoubleVector c00 = DoubleVector.fromArray(S, z, zo);
        DoubleVector c10 = DoubleVector.fromArray(S, z, zo + zs);
        DoubleVector c20 = DoubleVector.fromArray(S, z, zo + 2 * zs);
        DoubleVector c30 = DoubleVector.fromArray(S, z, zo + 3 * zs);
        int a0 = ai;
        int a1 = a0 + ams;
        int a2 = a1 + ams;
        int a3 = a2 + ams;
        for (int p = 0, ap = 0, bp = bi; p < k; p++, ap += aps, bp += ldb) {
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
        int c0 = ci;
        c00.intoArray(c, c0);
        c0 += ldc;
        c10.intoArray(c, c0);
        c0 += ldc;
        c20.intoArray(c, c0);
        c0 += ldc;
        c30.intoArray(c, c0);
    }

    private static void tile1x3(double[] a, int ai, int aps, double[] b, int bi, int ldb, double[] z, int zo,
            double[] c, int ci, int k) {
        DoubleVector c00 = DoubleVector.fromArray(S, z, zo);
        DoubleVector c01 = DoubleVector.fromArray(S, z, zo + V);
        DoubleVector c02 = DoubleVector.fromArray(S, z, zo + 2 * V);
        for (int p = 0, ap = ai, bp = bi; p < k; p++, ap += aps, bp += ldb) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bp + V);
            DoubleVector b2 = DoubleVector.fromArray(S, b, bp + 2 * V);
            DoubleVector x0 = DoubleVector.broadcast(S, a[ap]);
            c00 = b0.fma(x0, c00);
            c01 = b1.fma(x0, c01);
            c02 = b2.fma(x0, c02);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + V);
        c02.intoArray(c, ci + 2 * V);
    }

    private static void tile1x1(double[] a, int ai, int aps, double[] b, int bi, int ldb, double[] z, int zo,
            double[] c, int ci, int k) {
        DoubleVector c00 = DoubleVector.fromArray(S, z, zo);
        for (int p = 0, ap = ai, bp = bi; p < k; p++, ap += aps, bp += ldb) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bp);
            DoubleVector x0 = DoubleVector.broadcast(S, a[ap]);
            c00 = b0.fma(x0, c00);
        }
        c00.intoArray(c, ci);
    }
}
