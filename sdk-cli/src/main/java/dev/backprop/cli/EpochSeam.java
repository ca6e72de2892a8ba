package dev.backprop.cli;

import dev.backprop.api.EpochMetrics;
import dev.backprop.api.TrainingListener;
import java.util.concurrent.CountDownLatch;

/**
 * A seam for tests that stop or kill a training process at an exact epoch instead of racing it with the
 * clock; not for users. The system property {@value #PROPERTY} set to {@code N:halt} ends the JVM with
 * {@code Runtime.halt(137)} (as SIGKILL would: no shutdown hook, no further write) right after epoch N's
 * checkpoint and metrics are written; {@code N:hold} prints a line on standard error and waits there until
 * the first Ctrl-C, so that the stop lands at the next batch. Each prints {@code backprop-test: ... epoch N}
 * first, which a test reads to know where the process is. Unset, the listener is never installed.
 */
final class EpochSeam implements TrainingListener {
    static final String PROPERTY = "backprop.test.at-epoch-end";

    private final int epoch;
    private final boolean halt;
    private final CountDownLatch stopRequested;

    private EpochSeam(int epoch, boolean halt, CountDownLatch stopRequested) {
        this.epoch = epoch;
        this.halt = halt;
        this.stopRequested = stopRequested;
    }

    /**
     * @param stopRequested counted down by the first Ctrl-C
     * @return the seam the system property asks for, or {@code null} when it is unset
     */
    static EpochSeam fromSystemProperty(CountDownLatch stopRequested) {
        String value = System.getProperty(PROPERTY);
        if (value == null) {
            return null;
        }
        String[] parts = value.split(":", 2);
        if (parts.length != 2 || !parts[0].matches("[1-9][0-9]{0,8}") || !parts[1].matches("halt|hold")) {
            throw new IllegalArgumentException(PROPERTY + " must be N:halt or N:hold, got '" + value + "'");
        }
        return new EpochSeam(Integer.parseInt(parts[0]), parts[1].equals("halt"), stopRequested);
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics) {
        if (metrics.epoch() != epoch) {
            return;
        }
        if (halt) {
            System.err.println("backprop-test: halting after epoch " + epoch);
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
        System.err.println("backprop-test: holding after epoch " + epoch + " until Ctrl-C");
        System.err.flush();
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stops the run like Ctrl-C would
        }
    }
}
