package dev.backprop.core.linalg;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Splits a range of independent units (output columns, input columns) across a fixed number of threads.
 * Each unit is computed by exactly one thread with the same code, so results are bit-identical for any
 * thread count. Small ranges run on the calling thread.
 *
 * <p>The threads are shared per thread count. A split costs one small task object per extra thread (a
 * completed fork/join task cannot safely be reused while the pool may still be finishing with it); work
 * that runs on the calling thread alone allocates nothing.
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
     * @param threads the number of threads, at least 1 (the calling thread counts as one)
     * @return a shared instance
     */
    public static Parallel of(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (threads == 1) {
            return SERIAL;
        }
        return SHARED.computeIfAbsent(threads, n -> new Parallel(n, new ForkJoinPool(n - 1)));
    }

    /** @return the number of threads */
    public int threads() {
        return threads;
    }

    /** @return a dispatcher for one calling thread */
    public Dispatcher dispatcher() {
        return new Dispatcher(this);
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
     * Hands ranges to the shared threads. Used by one thread at a time.
     */
    public static final class Dispatcher {
        private final Parallel parallel;
        private final Chunk[] chunks;

        private Dispatcher(Parallel parallel) {
            this.parallel = parallel;
            this.chunks = new Chunk[parallel.threads];
        }

        /**
         * Runs {@code body} over {@code [0, n)}, split into at most {@code threads} contiguous chunks; the
         * calling thread runs the first chunk itself.
         *
         * @param n the number of units
         * @param workPerUnit multiply-adds per unit, to decide whether splitting pays
         * @param body the work
         */
        public void forRange(int n, long workPerUnit, RangeBody body) {
            int count = (int) Math.min(parallel.threads, Math.min(n, n * workPerUnit / MIN_PARALLEL_WORK));
            if (count <= 1 || parallel.pool == null) {
                body.run(0, n);
                return;
            }
            for (int c = 1; c < count; c++) {
                Chunk chunk = new Chunk(body, (int) ((long) n * c / count), (int) ((long) n * (c + 1) / count));
                chunks[c] = chunk;
                parallel.pool.execute(chunk);
            }
            RuntimeException failure = null;
            try {
                body.run(0, (int) ((long) n / count));
            } catch (RuntimeException e) {
                failure = e;
            }
            for (int c = 1; c < count; c++) {
                try {
                    chunks[c].join();
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                } finally {
                    chunks[c] = null;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** One piece of a split range. */
    private static final class Chunk extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient RangeBody body;
        private final int from;
        private final int to;

        Chunk(RangeBody body, int from, int to) {
            this.body = body;
            this.from = from;
            this.to = to;
        }

        @Override
        protected void compute() {
            body.run(from, to);
        }
    }
}
