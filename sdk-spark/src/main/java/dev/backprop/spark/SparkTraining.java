package dev.backprop.spark;

import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.RunOptions;
import dev.backprop.core.experiment.RunResult;
import dev.backprop.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Trains an experiment on a Spark {@code Dataset<Row>}, for applications that already have their data in
 * Spark: each worker receives only its shard of the rows, and no JVM, the driver included, holds all of
 * them. The experiment's {@code data.train} becomes {@code {dataframe: NAME, label: ..., features: [...]}}
 * (written so in the run's {@code config.yaml}); its {@code data.validation} and {@code data.test}, if any,
 * are files every worker reads. It trains on the DataFrame's own Spark application, with
 * {@code training.shards} workers (see {@code docs/distributed.md}).
 */
public final class SparkTraining {
    private static final AtomicLong NEXT = new AtomicLong();

    private SparkTraining() {
    }

    /**
     * @param rows the training rows
     * @param features the numeric feature columns, in input order
     * @param label the class-label column (strings or numbers)
     * @param experiment the experiment file
     * @param overrides {@code key.path=value} overrides, as with {@code --set}
     * @param options where to write and what to print
     * @return what the run produced
     * @throws dev.backprop.api.BackpropException as {@link ExperimentRunner#run(Path, List, RunOptions)}, and
     *     ({@link dev.backprop.api.ErrorCode#DATA_INVALID}) naming the column if a column is missing, of the
     *     wrong type or holds an empty or non-finite value
     */
    public static RunResult train(Dataset<Row> rows, List<String> features, String label, Path experiment, List<String> overrides,
            RunOptions options) {
        Objects.requireNonNull(rows, "rows");
        String name = "dataframe-" + NEXT.incrementAndGet();
        List<String> all = new ArrayList<>(overrides);
        all.add("data.train={dataframe: " + quoted(name) + ", label: " + quoted(label) + ", features: ["
                + String.join(", ", features.stream().map(SparkTraining::quoted).toList()) + "]}");
        all.add("training.distributed.master=" + quoted(rows.sparkSession().sparkContext().master()));
        SparkRows.register(name, rows);
        try {
            return new ExperimentRunner(PluginRegistry.discover()).run(experiment, all, options);
        } finally {
            SparkRows.unregister(name);
        }
    }

    /** A YAML double-quoted string. */
    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
