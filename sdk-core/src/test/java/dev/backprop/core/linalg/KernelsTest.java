package dev.backprop.core.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both kernel implementations against independent loops: every element of a product must equal, bit for
 * bit, the plain sum of its terms in ascending order (multiply then add for the plain Java kernels, one
 * fused multiply-add per term for the SIMD kernels), whatever the shape, strides, bias and split.
 * The surefire JVM has {@code jdk.incubator.vector}, so both implementations are tested here.
 */
class KernelsTest {

    static Stream<DoubleKernels> implementations() {
        List<DoubleKernels> all = new ArrayList<>();
        all.add(ScalarKernels.INSTANCE);
        all.add(new VectorKernels());
        return all.stream();
    }

    @Test
    void theTestJvmRunsTheSimdKernels() {
        assertThat(Kernels.vectorAvailable()).isTrue();
        assertThat(new VectorKernels().name()).startsWith("vector-");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void everyElementIsTheAscendingSumOfItsTerms(DoubleKernels kernels) {
        boolean fused = kernels instanceof VectorKernels;
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 300; trial++) {
            int m = 1 + random.nextInt(11);
            int n = 1 + random.nextInt(45);
            int k = random.nextInt(40);
            boolean transposedA = random.nextBoolean();
            // A is m x k, stored row-major or column-major; B is k x n with a row stride of n or more.
            int ams = transposedA ? 1 : k;
            int aps = transposedA ? m : 1;
            int ldb = n + random.nextInt(3);
            int ldc = n + random.nextInt(3);
            double[] a = values(random, m * k);
            double[] b = values(random, k * ldb);
            double[] bias = random.nextBoolean() ? values(random, n) : null;
            double[] c = new double[m * ldc];
            kernels.product(a, ams, aps, b, ldb, bias, c, ldc, k, 0, m, 0, n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = bias == null ? 0.0 : bias[j];
                    for (int p = 0; p < k; p++) {
                        double x = a[i * ams + p * aps];
                        double y = b[p * ldb + j];
                        sum = fused ? Math.fma(x, y, sum) : sum + x * y;
                    }
                    assertThat(c[i * ldc + j]).as("trial %d, C[%d][%d] of %dx%dx%d", trial, i, j, m, n, k).isEqualTo(sum);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void theForwardProductIsTheAscendingSumFromTheBias(DoubleKernels kernels) {
        boolean fused = kernels instanceof VectorKernels;
        SplittableRandom random = new SplittableRandom(15);
        for (int trial = 0; trial < 60; trial++) {
            int rows = 1 + random.nextInt(11);
            int out = 1 + random.nextInt(60);
            // Up to three blocks of the SIMD kernels' packed panels, with ragged ends.
            int in = 1 + random.nextInt(3 * VectorKernels.KC + 5);
            double[] x = values(random, rows * in);
            double[] w = values(random, out * in);
            double[] b = random.nextBoolean() ? values(random, out) : null;
            double[] y = new double[rows * out];
            int split = random.nextInt(out + 1);
            kernels.forward(x, w, b, y, rows, in, out, 0, split);
            kernels.forward(x, w, b, y, rows, in, out, split, out);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < out; j++) {
                    double sum = b == null ? 0.0 : b[j];
                    for (int i = 0; i < in; i++) {
                        double p = x[r * in + i];
                        double q = w[j * in + i];
                        sum = fused ? Math.fma(p, q, sum) : sum + p * q;
                    }
                    assertThat(y[r * out + j]).as("trial %d, Y[%d][%d] of %dx%d -> %d, split at %d", trial, r, j, rows, in,
                            out, split).isEqualTo(sum);
                }
            }
        }
    }

    @Test
    void theSimdDotProductsAddEightLanesInAFixedOrder() {
        VectorKernels kernels = new VectorKernels();
        int lanes = VectorKernels.DOT_LANES; // 8 partial sums whatever the register width
        SplittableRandom random = new SplittableRandom(16);
        for (int trial = 0; trial < 60; trial++) {
            int rows = 1 + random.nextInt(3);
            int out = 1 + random.nextInt(13);
            int in = 1 + random.nextInt(70);
            double[] x = values(random, rows * in);
            double[] w = values(random, out * in);
            double[] b = random.nextBoolean() ? values(random, out) : null;
            double[] y = new double[rows * out];
            int split = random.nextInt(out + 1);
            kernels.affine(x, w, b, y, rows, in, out, 0, split);
            kernels.affine(x, w, b, y, rows, in, out, split, out);
            double[] scalar = new double[rows * out];
            ScalarKernels.INSTANCE.affine(x, w, b, scalar, rows, in, out, 0, out);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < out; j++) {
                    double expected;
                    if (in < lanes) {
                        expected = scalar[r * out + j]; // too short for a vector: the plain Java dot product
                    } else {
                        int full = in - in % lanes;
                        double[] lane = new double[lanes];
                        for (int i = 0; i < full; i++) {
                            lane[i % lanes] = Math.fma(w[j * in + i], x[r * in + i], lane[i % lanes]);
                        }
                        expected = lane[0];
                        for (int l = 1; l < lanes; l++) {
                            expected += lane[l];
                        }
                        for (int i = full; i < in; i++) {
                            expected = Math.fma(x[r * in + i], w[j * in + i], expected);
                        }
                        expected = b == null ? expected : expected + b[j];
                    }
                    assertThat(y[r * out + j]).as("trial %d, Y[%d][%d] of %dx%d -> %d", trial, r, j, rows, in, out)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void splittingTheRangesChangesNoBit(DoubleKernels kernels) {
        SplittableRandom random = new SplittableRandom(12);
        int m = 37;
        int n = 83;
        int k = 129;
        double[] a = values(random, m * k);
        double[] b = values(random, k * n);
        double[] bias = values(random, n);
        double[] whole = new double[m * n];
        kernels.product(a, k, 1, b, n, bias, whole, n, k, 0, m, 0, n);
        for (int trial = 0; trial < 20; trial++) {
            int mSplit = random.nextInt(m + 1);
            int nSplit = random.nextInt(n + 1);
            double[] parts = new double[m * n];
            kernels.product(a, k, 1, b, n, bias, parts, n, k, 0, mSplit, 0, nSplit);
            kernels.product(a, k, 1, b, n, bias, parts, n, k, mSplit, m, 0, nSplit);
            kernels.product(a, k, 1, b, n, bias, parts, n, k, 0, mSplit, nSplit, n);
            kernels.product(a, k, 1, b, n, bias, parts, n, k, mSplit, m, nSplit, n);
            assertThat(parts).as("split at %d, %d", mSplit, nSplit).isEqualTo(whole);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void denseLayerProductsMatchPlainLoops(DoubleKernels kernels) {
        SplittableRandom random = new SplittableRandom(13);
        int rows = 13;
        int in = 71;
        int out = 45;
        double[] x = values(random, rows * in);
        double[] w = values(random, out * in);
        double[] d = values(random, rows * out);
        d[5] = 0.0; // a zero gradient, which the plain Java kernels skip
        double[] g = new double[rows * in];
        kernels.backwardInput(d, w, g, rows, in, out, 0, 30);
        kernels.backwardInput(d, w, g, rows, in, out, 30, in);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                double sum = 0;
                for (int j = 0; j < out; j++) {
                    sum += d[r * out + j] * w[j * in + i];
                }
                assertThat(g[r * in + i]).as("G[%d][%d]", r, i).isCloseTo(sum, within(1e-12));
            }
        }
        double[] gw = new double[out * in];
        double[] gb = new double[out];
        kernels.weightGradient(d, x, gw, gb, rows, in, out, 0, 7);
        kernels.weightGradient(d, x, gw, gb, rows, in, out, 7, out);
        for (int j = 0; j < out; j++) {
            double biasSum = 0;
            for (int r = 0; r < rows; r++) {
                biasSum += d[r * out + j];
            }
            assertThat(gb[j]).as("gb[%d]", j).isCloseTo(biasSum, within(1e-13));
            for (int i = 0; i < in; i++) {
                double sum = 0;
                for (int r = 0; r < rows; r++) {
                    sum += d[r * out + j] * x[r * in + i];
                }
                assertThat(gw[j * in + i]).as("GW[%d][%d]", j, i).isCloseTo(sum, within(1e-12));
            }
        }
        double[] y = new double[rows * out];
        double[] b = values(random, out);
        kernels.affine(x, w, b, y, 2, in, out, 0, out);
        for (int r = 0; r < 2; r++) {
            for (int j = 0; j < out; j++) {
                double sum = b[j];
                for (int i = 0; i < in; i++) {
                    sum += w[j * in + i] * x[r * in + i];
                }
                assertThat(y[r * out + j]).isCloseTo(sum, within(1e-12));
            }
        }
    }

    @Test
    void theTwoImplementationsAgreeToRoundOffOnALayerSizedProduct() {
        SplittableRandom random = new SplittableRandom(14);
        int m = 32;
        int k = 784;
        int n = 256;
        double[] a = values(random, m * k);
        double[] b = values(random, k * n);
        double[] scalar = new double[m * n];
        double[] vector = new double[m * n];
        ScalarKernels.INSTANCE.product(a, k, 1, b, n, null, scalar, n, k, 0, m, 0, n);
        new VectorKernels().product(a, k, 1, b, n, null, vector, n, k, 0, m, 0, n);
        for (int i = 0; i < scalar.length; i++) {
            assertThat(vector[i]).isCloseTo(scalar[i], within(1e-12 * Math.abs(scalar[i]) * Math.sqrt(k)));
        }
    }

    private static double[] values(SplittableRandom random, int count) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = random.nextDouble(-1, 1);
        }
        return v;
    }
}
