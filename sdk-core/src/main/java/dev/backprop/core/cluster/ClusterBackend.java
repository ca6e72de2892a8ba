package dev.backprop.core.cluster;

import dev.backprop.core.sweep.SweepRunner;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs experiments on a cluster. The core has no cluster code: an implementation ({@code sdk-spark}'s,
 * for Apache Spark) is found with {@link java.util.ServiceLoader} when a run names a master, see
 * {@link ClusterBackends}. Implementations ship only data (the experiment's YAML text, plugin names,
 * paths) and rebuild everything on the executors with the same registry and engine as a local run.
 */
public interface ClusterBackend {
    /** @return a short name for messages, for example {@code spark} */
    String name();

    /**
     * Synchronous data-parallel training: each worker runs
     * {@link ClusterWorker#train} on its rank, and the workers
     * exchange gradient sums every step.
     *
     * @param job the experiment, master and number of workers
     * @param stopRequested polled while the job runs; when it answers {@code true} the job is cancelled
     * @return the first worker's result
     * @throws dev.backprop.api.BackpropException ({@link dev.backprop.api.ErrorCode#CLUSTER_FAILED}) if the
     *     cluster cannot run the job or the job was cancelled; the experiment's own errors keep their codes
     */
    default WorkerResult train(DataParallelJob job, BooleanSupplier stopRequested) {
        return train(job, stopRequested, state -> { });
    }

    /**
     * Like {@link #train(DataParallelJob, BooleanSupplier)}, with checkpoints: the first worker sends each
     * snapshot to the driver, which hands it to {@code snapshots} before the worker goes on; if the job's
     * workers are started again (Spark retrying a failed stage), they continue from the newest snapshot.
     *
     * @param job the experiment, master and number of workers
     * @param stopRequested polled while the job runs
     * @param snapshots receives every snapshot, on the driver
     * @return the first worker's result
     */
    WorkerResult train(DataParallelJob job, BooleanSupplier stopRequested, java.util.function.Consumer<StateData> snapshots);

    /**
     * One distributed pass over training rows the cluster reads (a {@code parquet} or {@code dataframe}
     * source): their count, classes and feature statistics, checking the columns on the way.
     *
     * @param master where to run
     * @param kind {@code parquet} or {@code dataframe}
     * @param location the Parquet path or the DataFrame's name
     * @param label the class-label column
     * @param features the feature columns
     * @return the summary
     * @throws dev.backprop.api.BackpropException ({@link dev.backprop.api.ErrorCode#DATA_INVALID}) naming the
     *     column if a column is missing, of the wrong type or holds a null or non-finite value
     */
    dev.backprop.core.data.RowsSummary summarise(String master, String kind, String location, String label, List<String> features);

    /**
     * Runs sweep trials, each as one task with {@link SweepRunner#runTrial}.
     *
     * @param master where to run
     * @param trials the trials
     * @return their results, in the order given
     */
    List<SweepRunner.Trial> runTrials(String master, List<SweepRunner.TrialJob> trials);
}
