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
 *
 * @serial exclude
 */
public record DataParallelJob(ExperimentSource source, String master, int partitions) implements Serializable {
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
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions must be >= 0, got " + partitions);
        }
    }
}
