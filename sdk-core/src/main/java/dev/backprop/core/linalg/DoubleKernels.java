package dev.backprop.core.linalg;

/**
 * One implementation of the float64 products of a dense layer, on row-major {@code double[]} arrays. Two
 * exist: {@link ScalarKernels} (plain Java) and {@code VectorKernels} (the incubating Vector API, loaded only
 * when the JVM has {@code jdk.incubator.vector}); {@link Kernels} picks one when it is first used.
 *
 * <p>Contract shared by every implementation: each output element is computed by one call, summing its
 * terms in a fixed order that depends neither on the {@code from}/{@code to} range it falls in nor on the
 * block sizes, so a product split across any number of threads gives the same bits. Two implementations
 * may order (or fuse) their multiply-adds differently and so differ in the last bits.
 *
 * <p>Shapes are those documented on {@link Kernels}. A float32 path would add a sibling interface on
 * {@code float[]} and reuse the selection in {@link Kernels}.
 */
interface DoubleKernels {

    /** @return a short name for logs and benchmarks, such as {@code "scalar"} */
    String name();

    /** @return why these kernels would be slow on this CPU, or {@code null} if they suit it */
    default String unsuitable() {
        return null;
    }

    /** Forward, dot-product form (small batches): see {@link Kernels#affine}. */
    void affine(double[] x, double[] w, double[] b, double[] y, int rows, int in, int out, int from, int to);

    /** Forward for batches, tiled: see {@link Kernels#forward}. */
    void forward(double[] x, double[] w, double[] b, double[] y, int rows, int in, int out, int from, int to);

    /**
     * {@code C[m][n] = bias[n] + sum_p A[m][p] B[p][n]} for {@code m} in {@code [m0, m1)}, {@code n} in
     * {@code [n0, n1)}, where {@code A[m][p] = a[m * ams + p * aps]}, {@code B[p][n] = b[p * ldb + n]} and
     * {@code C[m][n] = c[m * ldc + n]}; each sum starts from {@code bias[n]} (or 0 if {@code bias} is null)
     * and adds its terms in ascending {@code p}.
     */
    void product(double[] a, int ams, int aps, double[] b, int ldb, double[] bias, double[] c, int ldc, int k,
            int m0, int m1, int n0, int n1);

    /** Backward to the inputs: see {@link Kernels#backwardInput}. */
    void backwardInput(double[] d, double[] w, double[] g, int rows, int in, int out, int from, int to);

    /** Weight gradient: see {@link Kernels#weightGradient}. */
    void weightGradient(double[] d, double[] x, double[] gw, double[] gb, int rows, int in, int out, int from, int to);
}
