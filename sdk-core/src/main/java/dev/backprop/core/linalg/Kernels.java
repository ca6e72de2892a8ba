package dev.backprop.core.linalg;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matrix products of a dense layer on row-major {@code double[]} batches, run by one of two
 * implementations chosen once per JVM: SIMD kernels on the incubating Vector API when the JVM was started
 * with {@code --add-modules jdk.incubator.vector} and the CPU has SIMD registers of at least four doubles
 * and fused multiply-add, plain Java kernels otherwise (then one INFO log line says why, and how to enable
 * the fast path when the module is missing). The system property {@code backprop.kernels} ({@code auto},
 * {@code vector} or {@code scalar}) overrides the choice.
 *
 * <p>Every output element is computed by one call, summing its terms in a fixed order, whatever the block
 * sizes and however the work is split across threads by the {@code from}/{@code to} ranges: results do not
 * depend on the thread count. The SIMD kernels fuse each multiply-add (one rounding instead of two), so
 * their results differ from the plain Java kernels' in the last bits.
 *
 * <p>Shapes: a batch {@code X} is {@code rows x in}, the weights {@code W} are {@code out x in} (one row
 * per output unit); a gradient {@code D} with respect to the layer output is {@code rows x out}.
 */
public final class Kernels {
    private static final Logger LOG = LoggerFactory.getLogger(Kernels.class);
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_CLASS = "dev.backprop.core.linalg.VectorKernels";

    private static volatile DoubleKernels impl = initial();

    private Kernels() {
    }

    /** @return the implementation in use: {@code "scalar"} or {@code "vector-<bits>"} */
    public static String implementation() {
        return impl.name();
    }

    /** @return whether this JVM can run the SIMD kernels (it was started with {@code jdk.incubator.vector}) */
    public static boolean vectorAvailable() {
        return loadVector().kernels() != null;
    }

    /**
     * Switches the implementation for the whole JVM, for tests and benchmarks that compare the two (the
     * package is not exported). Not to be called while a pass is running.
     *
     * @param kind {@code "vector"}, {@code "scalar"} or {@code "auto"}
     * @return the name of the implementation now in use
     * @throws IllegalStateException if {@code "vector"} is asked for and this JVM cannot run it
     */
    public static String use(String kind) {
        DoubleKernels chosen = choose(kind);
        if (kind.equals("vector") && chosen == ScalarKernels.INSTANCE) {
            throw new IllegalStateException("The SIMD kernels need the JVM option --add-modules " + VECTOR_MODULE);
        }
        impl = chosen;
        return chosen.name();
    }

    private static DoubleKernels initial() {
        String kind = System.getProperty("backprop.kernels", "auto");
        try {
            return choose(kind);
        } catch (IllegalArgumentException e) {
            LOG.warn("{}; choosing automatically.", e.getMessage());
            return choose("auto");
        }
    }

    private static DoubleKernels choose(String kind) {
        switch (kind.toLowerCase(Locale.ROOT)) {
            case "scalar":
                return ScalarKernels.INSTANCE;
            case "vector": {
                VectorProbe probe = loadVector();
                if (probe.kernels() == null) {
                    LOG.warn("backprop.kernels=vector asks for the SIMD kernels, but {}; using the plain Java kernels.",
                            probe.problem());
                    return ScalarKernels.INSTANCE;
                }
                if (probe.problem() != null) {
                    LOG.warn("Using the SIMD kernels as backprop.kernels=vector asks, although {}: they may be far slower "
                            + "than the plain Java kernels here.", probe.problem());
                }
                LOG.debug("Dense-layer kernels: {}", probe.kernels().name());
                return probe.kernels();
            }
            case "auto": {
                VectorProbe probe = loadVector();
                if (probe.kernels() != null && probe.problem() == null) {
                    LOG.debug("Dense-layer kernels: {}", probe.kernels().name());
                    return probe.kernels();
                }
                if (probe.moduleMissing()) {
                    LOG.info("Using the plain Java kernels; start Java with --add-modules {} for the faster SIMD kernels.",
                            VECTOR_MODULE);
                } else {
                    LOG.info("Using the plain Java kernels: {}.", probe.problem());
                }
                return ScalarKernels.INSTANCE;
            }
            default:
                throw new IllegalArgumentException("The system property backprop.kernels must be auto, vector or scalar, got '"
                        + kind + "'");
        }
    }

    /**
     * The SIMD kernels if they can run, and what speaks against them, if anything.
     *
     * @param kernels the SIMD kernels, or null when they cannot run
     * @param problem why they cannot run or would be slow, or null
     * @param moduleMissing whether the JVM lacks {@code jdk.incubator.vector} (the one cause a user fixes with a flag)
     */
    private record VectorProbe(DoubleKernels kernels, String problem, boolean moduleMissing) {
    }

    /** Loads the SIMD kernels when the module is present (the class is never touched otherwise) and judges them. */
    private static VectorProbe loadVector() {
        java.util.Optional<Module> vector = ModuleLayer.boot().findModule(VECTOR_MODULE);
        if (vector.isEmpty()) {
            return new VectorProbe(null, "this JVM was started without --add-modules " + VECTOR_MODULE, true);
        }
        // The module descriptor does not require the incubating module (it is optional, and javadoc warns on
        // one that does), so this module reads it only from here on.
        Kernels.class.getModule().addReads(vector.get());
        DoubleKernels kernels;
        try {
            kernels = (DoubleKernels) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
        } catch (java.lang.reflect.InvocationTargetException e) {
            return new VectorProbe(null, "the SIMD kernels could not start: " + e.getCause().getMessage(), false);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return new VectorProbe(null, "the SIMD kernels could not start: " + e, false);
        }
        String problem = kernels.unsuitable();
        if (problem == null && !hardwareFma()) {
            // Without it every fused multiply-add is computed in software, hundreds of times slower.
            problem = "the JVM reports no fused multiply-add in hardware (UseFMA is off)";
        }
        return new VectorProbe(kernels, problem, false);
    }

    /** HotSpot's UseFMA flag; true when the JVM does not say (it is not HotSpot). */
    private static boolean hardwareFma() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return vm == null || Boolean.parseBoolean(vm.getVMOption("UseFMA").getValue());
        } catch (RuntimeException e) {
            return true;
        }
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
        impl.affine(x, w, b, y, rows, in, out, from, to);
    }

    /**
     * Forward for batches: {@code Y[r][j] = b[j] + sum_i X[r][i] W[j][i]} for {@code j} in {@code [from, to)},
     * in register tiles, reading the weights where they are (no transposed copy); each sum starts from the
     * bias and adds its terms in ascending {@code i}.
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
    public static void forward(double[] x, double[] w, double[] b, double[] y, int rows, int in, int out, int from, int to) {
        impl.forward(x, w, b, y, rows, in, out, from, to);
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
        impl.backwardInput(d, w, g, rows, in, out, from, to);
    }

    /**
     * Weight gradient summed over the batch: {@code GW[j][i] = sum_r D[r][j] X[r][i]} and
     * {@code gb[j] = sum_r D[r][j]} for {@code j} in {@code [from, to)}, rows added in order. Overwrites
     * those rows of {@code gw} and entries of {@code gb}; the caller divides by the batch size once.
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
        impl.weightGradient(d, x, gw, gb, rows, in, out, from, to);
    }

    /**
     * A general product {@code C = A B} (row-major, {@code A} is {@code m x k}, {@code B} is {@code k x n}),
     * rows {@code [m0, m1)} of {@code C}: the kernel the dense-layer products share, exposed for the GEMM
     * benchmark.
     *
     * @param a the left matrix, row stride {@code k}
     * @param b the right matrix, row stride {@code n}
     * @param c receives the product, row stride {@code n}
     * @param k the inner dimension
     * @param n the number of columns
     * @param m0 the first row of {@code C} to compute
     * @param m1 one past the last
     */
    public static void multiply(double[] a, double[] b, double[] c, int k, int n, int m0, int m1) {
        impl.product(a, k, 1, b, n, null, c, n, k, m0, m1, 0, n);
    }
}
