package dev.backprop.core.cluster;

import dev.backprop.api.EpochMetrics;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What the first worker of a data-parallel run sends back to the driver: the trained weights (every
 * worker holds the same bits), the history, and where the time went. Plain arrays, so that it crosses
 * the wire with Java serialization.
 *
 * @param weights the values of each of the network's parameter blocks, in {@code Network.parameters()} order
 * @param history one row per epoch: epoch, train loss, validation loss, train accuracy, validation
 *     accuracy, seconds, examples
 * @param bestEpoch the best epoch under early stopping, or 0
 * @param stoppedEarly whether early stopping ended the run
 * @param steps how many gradient exchanges (optimizer steps) the run made
 * @param trainingNanos the worker's time in {@code Trainer.fit}
 * @param exchangeNanos of that, the time spent exchanging gradients (waiting for the others included)
 * @param workers what each worker did, by rank (a worker's own result holds its own only, until the backend
 *     gathers them with {@link #withWorkers})
 */
public record WorkerResult(double[][] weights, double[][] history, int bestEpoch, boolean stoppedEarly, long steps,
        long trainingNanos, long exchangeNanos, List<WorkerStats> workers) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Copies the list. */
    public WorkerResult {
        workers = List.copyOf(workers);
    }

    /** @return this result without the weights and the history: what a worker other than the first sends back */
    public WorkerResult statisticsOnly() {
        return new WorkerResult(new double[0][], new double[0][], bestEpoch, stoppedEarly, steps, trainingNanos, exchangeNanos, workers);
    }

    /**
     * @param all every worker's statistics
     * @return this result with them, sorted by rank
     */
    public WorkerResult withWorkers(List<WorkerStats> all) {
        List<WorkerStats> sorted = new ArrayList<>(all);
        sorted.sort(java.util.Comparator.comparingInt(WorkerStats::rank));
        return new WorkerResult(weights, history, bestEpoch, stoppedEarly, steps, trainingNanos, exchangeNanos, sorted);
    }

    /**
     * @param metrics epoch metrics
     * @return them as rows of {@link #history()}
     */
    public static double[][] rows(List<EpochMetrics> metrics) {
        double[][] rows = new double[metrics.size()][];
        for (int i = 0; i < rows.length; i++) {
            EpochMetrics m = metrics.get(i);
            rows[i] = new double[] {m.epoch(), m.trainLoss(), m.validationLoss(), m.trainAccuracy(), m.validationAccuracy(),
                m.seconds(), m.examples()};
        }
        return rows;
    }

    /** @return the history as epoch metrics */
    public List<EpochMetrics> epochs() {
        List<EpochMetrics> list = new ArrayList<>(history.length);
        for (double[] r : history) {
            list.add(new EpochMetrics((int) r[0], r[1], r[2], r[3], r[4], r[5], (long) r[6]));
        }
        return list;
    }
}
