package dev.backprop.core.linalg;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits a range of independent units (output columns, input columns) across a fixed number of threads.
 * Each unit is computed by exactly one thread with the same code, so results are bit-identical for any
 * thread count, and for a range that runs on the calling thread alone. Small ranges run on the calling
 * thread.
 *
 * <p>A training step hands its threads a dozen products of a few tens of microseconds each, too short for
 * a thread that has to be woken for each one. So the extra threads form one crew per JVM, at most one fewer
 * than the processors, made as they are first needed: after a piece of work a helper keeps polling for the
 * next one for a short while before it parks. A caller that finds the crew busy (another pass on another
 * thread is using it) runs its range alone, which gives the same bits. Nothing is allocated per split.
 * More threads than processors would only take turns, so a thread count is capped at the processors.
 */
public final class Parallel {
    /** Runs everything on the calling thread. */
    public static final Parallel SERIAL = new Parallel(1);

    /** Below this much work (multiply-adds) a range is not worth splitting. */
    private static final long MIN_PARALLEL_WORK = 1L << 16;
    /** How long a helper polls for its next piece of work before it parks. */
    private static final long HELPER_SPIN_NANOS = 200_000;
    /** How long a caller polls for a helper to finish before it parks. */
    private static final long CALLER_SPIN_NANOS = 50_000;
    private static final ConcurrentHashMap<Integer, Parallel> SHARED = new ConcurrentHashMap<>();
    /** The helpers of every thread count, grown as larger counts are first used. */
    private static volatile Helper[] crew = new Helper[0];
    /** Held by the one pass that is using the crew. */
    private static final AtomicBoolean BUSY = new AtomicBoolean();
    /**
     * The index of a polled counter in its array: a full cache line of padding on each side, so that
     * whatever the collector places next to the array is never in the line the other thread polls.
     */
    private static final int HOT = 8;

    private final int threads;

    private Parallel(int threads) {
        this.threads = threads;
    }

    /**
     * @param threads the number of threads, at least 1 (the calling thread counts as one)
     * @return a shared instance
     */
    public static Parallel of(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        int usable = Math.min(threads, Runtime.getRuntime().availableProcessors());
        if (usable <= 1) {
            return SERIAL;
        }
        return SHARED.computeIfAbsent(usable, Parallel::new);
    }

    /** @return the number of threads used: the number asked for, at most the processors */
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

        private Dispatcher(Parallel parallel) {
            this.parallel = parallel;
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
            if (count <= 1 || !BUSY.compareAndSet(false, true)) {
                body.run(0, n);
                return;
            }
            try {
                split(n, count, body);
            } finally {
                BUSY.set(false);
            }
        }
    }

    /** Runs the chunks 1..count-1 on helpers and chunk 0 here; the caller holds {@link #BUSY}. */
    private static void split(int n, int count, RangeBody body) {
        Helper[] helpers = crew(count - 1);
        for (int c = 1; c < count; c++) {
            helpers[c - 1].post(body, (int) ((long) n * c / count), (int) ((long) n * (c + 1) / count));
        }
        Throwable failure = null;
        try {
            body.run(0, (int) ((long) n / count));
        } catch (Throwable e) { // even a checked exception thrown sneakily: the helpers must be awaited first
            failure = e;
        }
        for (int c = 1; c < count; c++) {
            Throwable helperFailure = helpers[c - 1].await();
            failure = failure == null ? helperFailure : failure;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new java.lang.reflect.UndeclaredThrowableException(failure);
        }
    }

    /** The crew with at least {@code size} helpers; only the holder of {@link #BUSY} grows it. */
    private static Helper[] crew(int size) {
        Helper[] helpers = crew;
        if (helpers.length < size) {
            Helper[] grown = java.util.Arrays.copyOf(helpers, size);
            for (int i = helpers.length; i < size; i++) {
                grown[i] = new Helper("backprop-kernels-" + (i + 1));
                grown[i].start();
            }
            crew = grown;
            helpers = grown;
        }
        return helpers;
    }

    /**
     * One extra thread. The caller publishes a piece of work by writing the fields and then, with a volatile
     * write, the {@code posted} counter; the helper answers by writing {@code done} the same way. Whichever side is about to park
     * first announces it in a volatile field and checks the other side once more, so no wake-up is lost.
     */
    private static final class Helper extends Thread {
        private RangeBody body;
        private int from;
        private int to;
        private Throwable failure;
        /** The counters, each in the middle of an array of its own: see {@link #HOT}. */
        private final AtomicLongArray posted = new AtomicLongArray(2 * HOT + 1);
        private final AtomicLongArray done = new AtomicLongArray(2 * HOT + 1);
        private volatile boolean parked;
        private volatile Thread waiter;

        Helper(String name) {
            // No inherited thread locals nor context class loader: the crew outlives whoever started it.
            super(null, null, name, 0, false);
            setDaemon(true);
            setContextClassLoader(null);
        }

        void post(RangeBody body, int from, int to) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.failure = null;
            posted.set(HOT, posted.get(HOT) + 1);
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        /** Waits for the piece of work posted last; returns what it threw, if anything. */
        Throwable await() {
            long target = posted.get(HOT);
            if (done.get(HOT) != target) {
                long start = System.nanoTime();
                while (done.get(HOT) != target && System.nanoTime() - start < CALLER_SPIN_NANOS) {
                    Thread.onSpinWait();
                }
                if (done.get(HOT) != target) {
                    waiter = Thread.currentThread();
                    while (done.get(HOT) != target) {
                        LockSupport.park(this);
                    }
                    waiter = null;
                }
            }
            Throwable thrown = failure;
            body = null;
            return thrown;
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long start = System.nanoTime();
                while (posted.get(HOT) == seen && System.nanoTime() - start < HELPER_SPIN_NANOS) {
                    Thread.onSpinWait();
                }
                if (posted.get(HOT) == seen) {
                    parked = true;
                    while (posted.get(HOT) == seen) {
                        LockSupport.park(this);
                    }
                    parked = false;
                }
                seen = posted.get(HOT);
                try {
                    body.run(from, to);
                } catch (Throwable e) { // a helper must survive whatever its work throws
                    failure = e;
                }
                done.set(HOT, seen);
                Thread caller = waiter;
                if (caller != null) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }
}
