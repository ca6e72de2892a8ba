package dev.backprop.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Bytes allocated per training step after warm-up, counted exactly by the JVM's per-thread allocation
 * counters (the calling thread and the kernel helper threads) instead of JMH's heap-wide rate, whose own
 * per-iteration bookkeeping shows up as a few bytes per operation when operations are long. Runs the same
 * step as {@link StepBenchmark}: forward, backward and SGD update on one batch.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.backprop.benchmarks.AllocationCheck</pre>
 */
public final class AllocationCheck {
    private static final int WARM_UP_STEPS = 5_000;
    private static final long WARM_UP_NANOS = 3_000_000_000L;
    private static final int MEASURED_STEPS = 2_000;

    private AllocationCheck() {
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.out.println("workload        threads  bytes/step (after at least " + WARM_UP_STEPS + " warm-up steps and 3 s, over "
                + MEASURED_STEPS + ")");
        for (String workload : new String[] {"digits:1", "mnist-tanh:32", "mnist-tanh:128"}) {
            for (int count : new int[] {1, 2}) {
                StepBenchmark step = new StepBenchmark();
                step.workload = workload;
                step.threads = count;
                step.setUp();
                long end = System.nanoTime() + WARM_UP_NANOS;
                for (int i = 0; i < WARM_UP_STEPS || System.nanoTime() < end; i++) {
                    step.step();
                }
                long[] ids = threadIds();
                long first = allocated(threads, ids);
                long before = allocated(threads, ids);
                long probeCost = before - first; // the result array of one reading
                for (int i = 0; i < MEASURED_STEPS; i++) {
                    step.step();
                }
                long bytes = allocated(threads, ids) - before - probeCost;
                System.out.printf(Locale.ROOT, "%-15s %7d  %.3f%n", workload, count, (double) bytes / MEASURED_STEPS);
            }
        }
    }

    /** The calling thread and the SDK's kernel helpers. */
    private static long[] threadIds() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t == Thread.currentThread() || t.getName().startsWith("backprop-kernels-"))
                .mapToLong(Thread::getId).toArray();
    }

    private static long allocated(com.sun.management.ThreadMXBean threads, long[] ids) {
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(ids)) {
            sum += bytes;
        }
        return sum;
    }
}
