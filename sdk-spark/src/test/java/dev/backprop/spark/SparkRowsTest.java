package dev.backprop.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.RunOptions;
import dev.backprop.core.experiment.RunResult;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.Shards;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training rows that Spark reads, each worker only its shard: a Parquet file and a {@code Dataset<Row>}
 * against the same rows in a CSV file trained locally with the same shards.
 */
class SparkRowsTest {
    private static final int ROWS = 503;
    private static final int SHARDS = 3;
    private static final String EXPERIMENT = """
            name: rows
            seed: 5
            network:
              layers: [{dense: 8}, {activation: tanh}, {dropout: 0.1}, {dense: 3}, {activation: softmax}]
            loss: cross-entropy
            optimizer: {name: adam, learning-rate: 0.01}
            training: {epochs: 3, batch-size: 32, shards: 3}
            data:
              train: {csv: train.csv, label: species, features: [f1, f2, f3]}
              validation: {csv: validation.csv, label: species}
              normalize: standard
            """;
    private static final ExperimentRunner RUNNER = new ExperimentRunner(PluginRegistry.discover());

    @TempDir
    static Path dir;

    private static SparkSession spark;
    private static Dataset<Row> frame;

    @BeforeAll
    static void writeTheRows() throws IOException {
        spark = SparkSession.builder().config(SparkBackend.configure(new SparkConf().setAppName("rows-test"), "local[3]"))
                .getOrCreate();
        StructType schema = new StructType().add("f1", DataTypes.DoubleType).add("f2", DataTypes.DoubleType)
                .add("f3", DataTypes.IntegerType).add("species", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        StringBuilder csv = new StringBuilder("f1,f2,f3,species\n");
        SplittableRandom random = new SplittableRandom(12);
        String[] names = {"setosa", "versicolor", "virginica"};
        for (int i = 0; i < ROWS; i++) {
            double f1 = random.nextDouble(-3, 3);
            double f2 = 1e4 + random.nextDouble() * 1e-3; // a large mean, a small spread
            int f3 = random.nextInt(-5, 6);
            String species = names[(f1 > 0 ? 1 : 0) + (f3 > 2 ? 1 : 0)];
            rows.add(RowFactory.create(f1, f2, f3, species));
            csv.append(f1).append(',').append(f2).append(',').append(f3).append(',').append(species).append('\n');
        }
        Files.writeString(dir.resolve("train.csv"), csv);
        StringBuilder validation = new StringBuilder("f1,f2,f3,species\n");
        for (int i = 0; i < 60; i++) {
            double f1 = random.nextDouble(-3, 3);
            int f3 = random.nextInt(-5, 6);
            validation.append(String.format(Locale.ROOT, "%s,%s,%d,%s%n", f1, 1e4 + random.nextDouble() * 1e-3, f3,
                    names[(f1 > 0 ? 1 : 0) + (f3 > 2 ? 1 : 0)]));
        }
        Files.writeString(dir.resolve("validation.csv"), validation);
        Files.writeString(dir.resolve("rows.yaml"), EXPERIMENT);
        frame = spark.createDataFrame(rows, schema);
        frame.coalesce(1).write().parquet(dir.resolve("train.parquet").toString());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static RunResult run(String name, String... overrides) {
        return RUNNER.run(dir.resolve("rows.yaml"), List.of(overrides), new RunOptions(dir.resolve(name), dir, null, List.of()));
    }

    private static final String PARQUET = "data.train={parquet: train.parquet, label: species, features: [f1, f2, f3]}";

    @Test
    void aParquetRunEqualsTheLocalShardedRunOnTheSameRowsAndEachRowIsReadOnce() throws IOException {
        RunResult local = run("csv-local");
        RunResult parquet = run("parquet", PARQUET, "training.distributed.master=local[3]");
        // the same rows, classes, normalizer (exact statistics), shards and sums: the same model, byte for byte
        assertThat(Files.readString(parquet.runDirectory().resolve("model.json")))
                .isEqualTo(Files.readString(local.runDirectory().resolve("model.json")));
        assertThat(parquet.validation().meanLoss()).isEqualTo(local.validation().meanLoss());
        assertThat(parquet.train().accuracy()).isEqualTo(local.train().accuracy());
        assertThat(Files.readString(parquet.runDirectory().resolve("config.yaml"))).contains("parquet: train.parquet");
        assertRowsReadOnce(parquet.runDirectory().resolve("cluster.json"));
    }

    @Test
    void aDataFrameRunEqualsTheParquetRun() throws IOException {
        RunResult parquet = run("parquet-2", PARQUET, "training.distributed.master=local[3]");
        RunResult frameRun = SparkTraining.train(frame, List.of("f1", "f2", "f3"), "species", dir.resolve("rows.yaml"), List.of(),
                new RunOptions(dir.resolve("frame"), dir, null, List.of()));
        assertThat(Files.readString(frameRun.runDirectory().resolve("model.json")))
                .isEqualTo(Files.readString(parquet.runDirectory().resolve("model.json")));
        assertThat(Files.readString(frameRun.runDirectory().resolve("config.yaml"))).contains("dataframe: dataframe-");
        assertRowsReadOnce(frameRun.runDirectory().resolve("cluster.json"));
    }

    /** Each worker loaded exactly its shard: the counts are the plan's and add up to the rows. */
    private static void assertRowsReadOnce(Path clusterJson) throws IOException {
        JsonNode report = new ObjectMapper().readTree(clusterJson.toFile());
        Shards plan = new Shards(ROWS, 32, SHARDS);
        long loaded = 0;
        for (int r = 0; r < SHARDS; r++) {
            JsonNode worker = report.get("per_worker").get(r);
            assertThat(worker.get("training_rows_loaded").asLong()).as("worker %d", r).isEqualTo(plan.size(r));
            assertThat(worker.get("rows_per_epoch").asLong()).isEqualTo(plan.size(r));
            loaded += worker.get("training_rows_loaded").asLong();
        }
        assertThat(loaded).isEqualTo(ROWS);
        assertThat(report.get("rows_per_epoch").asLong()).isEqualTo(ROWS);
    }

    @Test
    void badColumnsAreOneClearError() {
        assertThatThrownBy(() -> run("missing", "data.train={parquet: train.parquet, label: species, features: [f1, f9]}",
                "training.distributed.master=local[3]"))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID))
                .hasMessageContaining("no column 'f9'; its columns are f1, f2, f3, species");
        assertThatThrownBy(() -> run("string", "data.train={parquet: train.parquet, label: f1, features: [species]}",
                "training.distributed.master=local[3]"))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID))
                .hasMessageContaining("feature column 'species' holds string; expected numbers");
        Dataset<Row> withNull = spark.sql("SELECT CAST(NULL AS DOUBLE) AS f1, 1.0 AS f2, 2 AS f3, 'a' AS species");
        assertThatThrownBy(() -> SparkTraining.train(withNull, List.of("f1", "f2", "f3"), "species", dir.resolve("rows.yaml"),
                List.of(), new RunOptions(dir.resolve("null"), dir, null, List.of())))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID))
                .hasMessageContaining("feature column 'f1' has an empty (null) value");
    }
}
