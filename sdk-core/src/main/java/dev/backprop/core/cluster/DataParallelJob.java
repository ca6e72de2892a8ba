package dev.backprop.core.cluster;

import dev.backprop.core.config.ExperimentSource;
import java.io.Serializable;
import java.util.Objects;

/**
 * One synchronous data-parallel training run for a {@link ClusterBackend}.
 *
 * @param source the experiment
 * @param master where to run, for example {@code local[2]} or {@code spark://host:7077}
 * @param partitions how many workers share each batch, or 0 for the cluster's default parallelism
 * @param exchange how the workers combine gradient sums: {@code ring} or {@code star}
 * @param rows training rows the cluster reads, each worker its shard, or {@code null} when every worker
 *     loads the experiment's data itself
 * @param resume the checkpoint to continue from, or {@code null} to start afresh
 */
public record DataParallelJob(ExperimentSource source, String master, int partitions, String exchange, RowsInput rows,
        StateData resume) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Checks the values.
     *
     * @param source the experiment
     * @param master where to run, for example {@code local[2]} or {@code spark://host:7077}
     * @param partitions how many workers share each batch, or 0 for the cluster's default parallelism
     */
    public DataParallelJob {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(exchange, "exchange");
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions must be >= 0, got " + partitions);
        }
    }

    /**
     * A job with the default exchange, the ring.
     *
     * @param source the experiment
     * @param master where to run
     * @param partitions how many workers, or 0 for the cluster's default parallelism
     */
    public DataParallelJob(ExperimentSource source, String master, int partitions) {
        this(source, master, partitions, "ring", null, null);
    }
}
