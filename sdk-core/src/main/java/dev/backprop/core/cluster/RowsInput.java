package dev.backprop.core.cluster;

import dev.backprop.core.data.RowsSummary;
import dev.backprop.core.training.Shards;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Training rows that the cluster reads, each worker only its shard (a {@code parquet} or {@code dataframe}
 * source), with what the driver learned of them in one distributed pass. Plain data, so that it crosses
 * the wire.
 *
 * @param kind {@code parquet} or {@code dataframe}
 * @param location the Parquet path or the DataFrame's name
 * @param label the class-label column
 * @param features the feature columns, in input order
 * @param summary the rows' count, classes and statistics
 * @param batchSize the configured batch size, which fixes the shards ({@link dev.backprop.core.training.Shards})
 * @param shards the number of shards, one worker each
 */
public record RowsInput(String kind, String location, String label, List<String> features, RowsSummary summary, int batchSize,
        int shards) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Copies the list. */
    public RowsInput {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(label, "label");
        features = List.copyOf(features);
    }

    /** @return where each shard starts among the rows, and the number of rows last ({@code shards + 1} values) */
    public long[] offsets() {
        Shards plan = new Shards(Math.toIntExact(summary.rows()), batchSize, shards);
        long[] offsets = new long[shards + 1];
        for (int r = 0; r < shards; r++) {
            offsets[r] = plan.offset(r);
        }
        offsets[shards] = summary.rows();
        return offsets;
    }
}
