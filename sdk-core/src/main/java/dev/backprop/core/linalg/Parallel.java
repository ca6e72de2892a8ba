package dev.backprop.core.linalg;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Splits a range of independent units (output columns, input columns) across a fixed number of threads.
 * Each unit is computed by exactly one thread with the same code, so results are bit-identical for any
 * thread count. Small ranges run on the calling thread.
 */
public final class Parallel {
    /** Runs everything on the calling thread. */
    public static final Parallel SERIAL = new Parallel(1, null);

    /** Below this much work (multiply-adds) a range is not worth splitting. */
    private static final long MIN_PARALLEL_WORK = 1L << 16;
    private static final ConcurrentHashMap<Integer, Parallel> SHARED = new ConcurrentHashMap<>();

    private final int threads;
    private final ForkJoinPool pool;

    private Parallel(int threads, ForkJoinPool pool) {
        this.threads = threads;
        this.pool = pool;
    }

    /**
     * @param threads the number of threads, at least 1
     * @return a shared instance with its own pool of daemon threads
     */
    public static Parallel of(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (threads == 1) {
            return SERIAL;
        }
        return SHARED.computeIfAbsent(threads, n -> new Parallel(n, new ForkJoinPool(n)));
    }

    /** @return the number of threads */
    public int threads() {
        return threads;
    }

    /** A piece of work over {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        /**
         * @param from the first unit
         * @param to one past the last unit
         */
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split into at most {@code threads} contiguous chunks.
     *
     * @param n the number of units
     * @param workPerUnit multiply-adds per unit, to decide whether splitting pays
     * @param body the work
     */
    public void forRange(int n, long workPerUnit, RangeBody body) {
        int chunks = (int) Math.min(threads, Math.min(n, n * workPerUnit / MIN_PARALLEL_WORK));
        if (chunks <= 1 || pool == null) {
            body.run(0, n);
            return;
        }
        if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == pool) {
            body.run(0, n); // already inside this pool: do not wait on ourselves
            return;
        }
        pool.invoke(new Split(body, n, chunks, 0, chunks));
    }

    /** Runs chunks {@code [first, last)} of the range, forking halves. */
    private static final class Split extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient RangeBody body;
        private final int n;
        private final int chunks;
        private final int first;
        private final int last;

        Split(RangeBody body, int n, int chunks, int first, int last) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.first = first;
            this.last = last;
        }

        @Override
        protected void compute() {
            if (last - first == 1) {
                body.run((int) ((long) n * first / chunks), (int) ((long) n * last / chunks));
                return;
            }
            int middle = (first + last) >>> 1;
            invokeAll(new Split(body, n, chunks, first, middle), new Split(body, n, chunks, middle, last));
        }
    }
}
