package dev.backprop.benchmarks;

import dev.backprop.core.linalg.Kernels;
import dev.backprop.core.linalg.Parallel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A 1024 x 1024 float64 matrix product, {@code C = A B}, with our kernel and with OpenBLAS
 * ({@code cblas_dgemm}, 0.3.19), on 1 and 2 threads: the machine's float64 peak for the fractions in
 * {@code docs/performance.md}. One operation is one product (2 * 1024^3 floating-point operations).
 * Built only with {@code -P peers-native}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Thread)
public class GemmBenchmark {
    private static final int N = 1024;

    /** Implementation and threads. */
    @Param({"ours:1", "ours:2", "openblas:1", "openblas:2"})
    public String impl;

    private double[] a;
    private double[] b;
    private double[] c;
    private DoublePointer pa;
    private DoublePointer pb;
    private DoublePointer pc;
    private Parallel.Dispatcher dispatcher;
    private boolean blas;

    /** Floating-point operations per second, as a JMH secondary result. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        /** Floating-point operations performed. */
        public long flops;

        /** Clears the counter before each iteration. */
        @Setup(Level.Iteration)
        public void clear() {
            flops = 0;
        }
    }

    /** Random operands. */
    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = impl.split(":");
        int threads = Integer.parseInt(parts[1]);
        SplittableRandom random = new SplittableRandom(9);
        a = new double[N * N];
        b = new double[N * N];
        c = new double[N * N];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble(-1, 1);
            b[i] = random.nextDouble(-1, 1);
        }
        blas = parts[0].equals("openblas");
        if (blas) {
            openblas.blas_set_num_threads(threads);
            pa = new DoublePointer(a);
            pb = new DoublePointer(b);
            pc = new DoublePointer(c);
        } else {
            dispatcher = Parallel.of(threads).dispatcher();
        }
    }

    /** Frees the native buffers. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (blas) {
            pa.close();
            pb.close();
            pc.close();
        }
    }

    /**
     * @param flops the operation counter
     * @return a value of the product
     */
    @Benchmark
    public double multiply(Flops flops) {
        if (blas) {
            openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, N, N, N, 1.0, pa, N, pb, N,
                    0.0, pc, N);
        } else {
            dispatcher.forRange(N, (long) N * N, (from, to) -> Kernels.multiply(a, b, c, N, N, from, to));
        }
        flops.flops += 2L * N * N * N;
        return blas ? pc.get(0) : c[0];
    }
}
