package dev.backprop.core.cluster;

import dev.backprop.api.TrainableParameter;
import dev.backprop.core.config.ExperimentSource;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.PreparedExperiment;
import dev.backprop.core.training.Dataset;
import dev.backprop.core.training.Evaluation;
import dev.backprop.core.training.GradientExchange;
import dev.backprop.core.training.Shards;
import dev.backprop.core.training.SnapshotListener;
import dev.backprop.core.training.TrainingState;
import dev.backprop.core.training.Trainer;
import dev.backprop.core.training.TrainingHistory;
import java.util.List;
import java.util.Objects;

/**
 * One worker of synchronous data-parallel training, as a cluster task runs it: rebuilds the experiment
 * from its text exactly as a local run would (same data, split, normalisation and initial weights), then
 * trains its slice of every batch, exchanging gradient sums with the other workers.
 */
public final class ClusterWorker {
    private final ExperimentRunner runner;
    private final StateData resume;
    private final java.util.function.Consumer<StateData> snapshots;

    /**
     * @param runner loads and prepares the experiment with this executor's plugins
     */
    public ClusterWorker(ExperimentRunner runner) {
        this(runner, null, null);
    }

    private ClusterWorker(ExperimentRunner runner, StateData resume, java.util.function.Consumer<StateData> snapshots) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.resume = resume;
        this.snapshots = snapshots;
    }

    /**
     * @param from the checkpoint to continue from, or {@code null} to start afresh
     * @param sink where this worker sends its snapshots (the experiment's {@code training.checkpoint}), or
     *     {@code null}: the first worker sends them, the others hold the same state
     * @return a worker that resumes from {@code from} and sends its snapshots to {@code sink}
     */
    public ClusterWorker withCheckpoints(StateData from, java.util.function.Consumer<StateData> sink) {
        return new ClusterWorker(runner, from, sink);
    }

    /**
     * @param source the experiment
     * @param exchange this worker's link to the others
     * @param threads how many threads this worker's passes use (results do not depend on it)
     * @return the trained weights, the history and the timings; every worker's weights are the same
     */
    public WorkerResult train(ExperimentSource source, GradientExchange exchange, int threads) {
        return train(runner.prepare(runner.load(source)), exchange, threads, null);
    }

    /**
     * One worker of a run whose training rows stay on the cluster: it holds only its shard.
     *
     * @param source the experiment
     * @param exchange this worker's link to the others
     * @param threads how many threads this worker's passes use
     * @param rows the rows' description and summary
     * @param shard this worker's shard, as read, in the order of the rows; one-hot targets in the summary's class order
     * @return the trained weights, the history and the timings
     */
    public WorkerResult train(ExperimentSource source, GradientExchange exchange, int threads, RowsInput rows, Dataset shard) {
        return train(runner.prepare(runner.load(source), rows.summary(), shard), exchange, threads, rows);
    }

    private WorkerResult train(PreparedExperiment prepared, GradientExchange exchange, int threads, RowsInput rows) {
        TimedExchange timed = new TimedExchange(exchange);
        Trainer.Builder builder = runner.trainer(prepared).threads(threads);
        var checkpoint = prepared.config().training().checkpoint();
        if (checkpoint != null) {
            builder.checkpointEvery(checkpoint.every());
            if (snapshots != null) {
                builder.listener((SnapshotListener) state -> snapshots.accept(StateData.of(state)));
            }
        }
        TrainingState from = resume == null ? null : resume.toState();
        boolean sharded = rows != null || prepared.config().training().shards() > 1;
        Trainer trainer = (sharded ? builder.sharded(timed) : builder.dataParallel(timed)).build();
        long start = System.nanoTime();
        Dataset validation = prepared.validation() == null ? null : prepared.validation().dataset();
        Dataset train = prepared.train().dataset();
        int total = Math.toIntExact(prepared.trainingRows());
        TrainingHistory history = rows != null ? trainer.fitShard(prepared.network(), train, total, validation, from)
                : trainer.fit(prepared.network(), train, validation, from);
        long nanos = System.nanoTime() - start;
        List<TrainableParameter> parameters = prepared.network().parameters();
        double[][] weights = new double[parameters.size()][];
        for (int p = 0; p < weights.length; p++) {
            weights[p] = parameters.get(p).values().clone();
        }
        int rank = exchange.rank();
        double lossSum = Double.NaN;
        long correct = 0;
        if (rows != null && train.size() > 0) { // the driver has no rows: each worker evaluates its shard
            Evaluation evaluation = trainer.evaluate(prepared.network(), train);
            lossSum = evaluation.meanLoss() * train.size();
            correct = Double.isNaN(evaluation.accuracy()) ? 0 : Math.round(evaluation.accuracy() * train.size());
        } else if (rows != null) {
            lossSum = 0;
        }
        WorkerStats stats = new WorkerStats(rank, train.size(),
                new Shards(total, prepared.config().training().batchSize(), exchange.workers()).size(rank), timed.steps, nanos,
                timed.nanos, exchange.bytesSent(), exchange.bytesReceived(), lossSum, correct);
        return new WorkerResult(weights, WorkerResult.rows(history.epochs()), history.bestEpoch(), history.stoppedEarly(),
                timed.steps, nanos, timed.nanos, List.of(stats));
    }

    /** Counts the exchanges and the time they take, for the per-step overhead in the driver's log. */
    private static final class TimedExchange implements GradientExchange {
        private final GradientExchange delegate;
        private long steps;
        private long nanos;

        TimedExchange(GradientExchange delegate) {
            this.delegate = Objects.requireNonNull(delegate, "exchange");
        }

        @Override
        public int workers() {
            return delegate.workers();
        }

        @Override
        public int rank() {
            return delegate.rank();
        }

        @Override
        public double[] sumInRankOrder(double[] values) {
            long start = System.nanoTime();
            double[] total = delegate.sumInRankOrder(values);
            nanos += System.nanoTime() - start;
            steps++;
            return total;
        }

        @Override
        public void abort(Throwable cause) {
            delegate.abort(cause);
        }
    }
}
