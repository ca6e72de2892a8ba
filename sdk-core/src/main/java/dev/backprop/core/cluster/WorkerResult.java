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
 * @param failure the SDK error this worker's training ended with (its code id, a newline, its message), or
 *     {@code null}: an error of the experiment is a result, not a failed task, so that a cluster does not
 *     retry what would fail again
 */
public record WorkerResult(double[][] weights, double[][] history, int bestEpoch, boolean stoppedEarly, long steps,
        long trainingNanos, long exchangeNanos, List<WorkerStats> workers, String failure) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Copies the list. */
    public WorkerResult {
        workers = List.copyOf(workers);
    }

    /**
     * @param weights the trained weights
     * @param history the history rows
     * @param bestEpoch the best epoch, or 0
     * @param stoppedEarly whether early stopping ended the run
     * @param steps the exchanges made
     * @param trainingNanos the time in training
     * @param exchangeNanos of that, exchanging
     * @param workers this worker's statistics
     */
    public WorkerResult(double[][] weights, double[][] history, int bestEpoch, boolean stoppedEarly, long steps, long trainingNanos,
            long exchangeNanos, List<WorkerStats> workers) {
        this(weights, history, bestEpoch, stoppedEarly, steps, trainingNanos, exchangeNanos, workers, null);
    }

    /**
     * @param rank the worker
     * @param error the SDK error its training ended with
     * @return a result that carries the error to the driver
     */
    public static WorkerResult failed(int rank, dev.backprop.api.BackpropException error) {
        WorkerStats none = new WorkerStats(rank, 0, 0, 0, 0, 0, 0, 0, Double.NaN, 0);
        return new WorkerResult(new double[0][], new double[0][], 0, false, 0, 0, 0, List.of(none),
                error.code().id() + "\n" + error.detail());
    }

    /** @return this result without the weights and the history: what a worker other than the first sends back */
    public WorkerResult statisticsOnly() {
        return new WorkerResult(new double[0][], new double[0][], bestEpoch, stoppedEarly, steps, trainingNanos, exchangeNanos, workers,
                failure);
    }

    /**
     * @param all every worker's statistics
     * @return this result with them, sorted by rank
     */
    public WorkerResult withWorkers(List<WorkerStats> all) {
        List<WorkerStats> sorted = new ArrayList<>(all);
        sorted.sort(java.util.Comparator.comparingInt(WorkerStats::rank));
        return new WorkerResult(weights, history, bestEpoch, stoppedEarly, steps, trainingNanos, exchangeNanos, sorted, failure);
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
