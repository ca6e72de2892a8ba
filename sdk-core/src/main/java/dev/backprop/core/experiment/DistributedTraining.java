package dev.backprop.core.experiment;

import dev.backprop.core.config.ExperimentSource;
import dev.backprop.core.training.TrainingHistory;
import dev.backprop.core.config.ExperimentConfig;
import dev.backprop.core.data.RowsSummary;
import dev.backprop.core.training.Evaluation;
import dev.backprop.core.training.SnapshotListener;
import dev.backprop.core.training.TrainingState;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Trains an experiment on the cluster its {@code training.distributed} section names. The experiment
 * package writes the run directory either way; an implementation only trains. The SDK's own, in the
 * {@code cluster} package, is found with {@link java.util.ServiceLoader}, so that this package does not
 * depend on the cluster code.
 */
public interface DistributedTraining {
    /**
     * @param runner loads the experiment and knows its plugins
     * @param prepared the experiment as prepared on this machine; its network receives the trained weights
     * @param source the experiment's text, as shipped to the workers
     * @param stopRequested polled while the job runs, and right after each checkpoint is written (from another
     *     thread); when it answers {@code true} the job is cancelled, unless the checkpoint that closes the run
     *     has already been written
     * @param resume the checkpoint to continue from, or {@code null}
     * @param snapshots receives the first worker's snapshots on this machine (writes the checkpoints)
     * @return the history ({@linkplain TrainingHistory#interrupted() interrupted} and empty if the job was
     *     cancelled before it trained) and the report for {@code cluster.json}
     */
    Outcome train(ExperimentRunner runner, PreparedExperiment prepared, ExperimentSource source, BooleanSupplier stopRequested,
            TrainingState resume, SnapshotListener snapshots);

    /**
     * One distributed pass over training rows that stay on the cluster (a {@code parquet} or {@code dataframe}
     * source): their count, classes and column statistics, with the column checks on the way.
     *
     * @param runner knows the experiment's plugins
     * @param config the experiment; its {@code data.train} is a Spark-read source
     * @return the summary
     */
    RowsSummary summarise(ExperimentRunner runner, ExperimentConfig config);

    /**
     * @param history the training history
     * @param report what the cluster did, as JSON-ready maps and lists ({@code cluster.json}), or {@code null}
     * @param train the training rows' evaluation, made by the workers when the rows stay on the cluster, else {@code null}
     */
    record Outcome(TrainingHistory history, Map<String, Object> report, Evaluation train) {
    }
}
