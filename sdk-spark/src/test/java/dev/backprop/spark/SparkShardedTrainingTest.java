package dev.backprop.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.RunOptions;
import dev.backprop.core.experiment.RunResult;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sharded training ({@code training.shards: N}) on Spark against the same N shards trained on threads in one JVM. */
class SparkShardedTrainingTest {
    private static final Path SPIRALS = Path.of("src/test/resources/experiments/spirals.yaml");
    private static final ExperimentRunner RUNNER = new ExperimentRunner(PluginRegistry.discover());

    @TempDir
    static Path dir;

    private static RunResult run(String name, String... overrides) {
        return RUNNER.run(SPIRALS, List.of(overrides), new RunOptions(dir.resolve(name), dir, null, List.of()));
    }

    @ParameterizedTest(name = "{0} shards")
    @ValueSource(ints = {2, 3})
    void aSparkShardedRunIsBitIdenticalToTheLocalShardedRun(int shards) throws IOException {
        RunResult local = run("local-" + shards, "training.shards=" + shards);
        RunResult spark = run("spark-" + shards, "training.shards=" + shards, "training.distributed.master=local[" + shards + "]");
        List<double[]> expected = SparkTrainingTest.weights(local);
        List<double[]> actual = SparkTrainingTest.weights(spark);
        for (int p = 0; p < expected.size(); p++) {
            assertThat(actual.get(p)).as("parameter block %d", p).isEqualTo(expected.get(p));
        }
        for (int e = 0; e < local.history().epochs().size(); e++) {
            assertThat(spark.history().epochs().get(e).trainLoss()).isEqualTo(local.history().epochs().get(e).trainLoss());
            assertThat(spark.history().epochs().get(e).validationLoss()).isEqualTo(local.history().epochs().get(e).validationLoss());
        }
        assertThat(Files.readString(spark.runDirectory().resolve("model.json")))
                .isEqualTo(Files.readString(local.runDirectory().resolve("model.json")));
        checkClusterReport(spark.runDirectory().resolve("cluster.json"), shards);
        // and the sharded algorithm is not the unsharded one: another order of rows, other weights
        RunResult unsharded = run("unsharded-" + shards);
        assertThat(SparkTrainingTest.maxRelativeDifference(actual, SparkTrainingTest.weights(unsharded))).isGreaterThan(1e-9);
    }

    @org.junit.jupiter.api.Test
    void theStarAndTheRingGiveTheSameBits() throws IOException {
        RunResult ring = run("ring", "training.distributed.master=local[3]", "training.distributed.partitions=3");
        RunResult star = run("star", "training.distributed.master=local[3]", "training.distributed.partitions=3",
                "training.distributed.exchange=star");
        assertThat(Files.readString(ring.runDirectory().resolve("model.json")))
                .isEqualTo(Files.readString(star.runDirectory().resolve("model.json")));
        assertThat(Files.readString(star.runDirectory().resolve("config.yaml"))).contains("exchange: star");
        assertThat(Files.readString(ring.runDirectory().resolve("config.yaml"))).contains("exchange: ring");
    }

    /**
     * 600 examples less 20% validation and 10% test leave 420 training rows: 9 batches of 50 (the last 20).
     * A batch of 50 is shared 25, 25 by two workers and 16, 17, 17 by three; one of 20, 10, 10 and 6, 7, 7.
     * The network has 2*24+24 + 24*12+12 + 12*3+3 = 411 parameters; a step sends 414 values (with the loss,
     * the correct count and the stop vote) in one chunk: 414 * 8 + 4 bytes a pass round the ring.
     */
    private static void checkClusterReport(Path file, int shards) throws IOException {
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        assertThat(report.get("workers").asInt()).isEqualTo(shards);
        assertThat(report.get("exchange").asText()).isEqualTo("ring");
        assertThat(report.get("rows_per_epoch").asLong()).isEqualTo(420);
        assertThat(report.get("startup_seconds").asDouble()).isGreaterThan(0.0);
        long[] expectedRows = shards == 2 ? new long[] {210, 210} : new long[] {134, 143, 143};
        long pass = 414 * 8 + 4;
        long[] sent = shards == 2 ? new long[] {pass, pass} : new long[] {2 * pass, pass, pass};
        long[] received = shards == 2 ? new long[] {pass, pass} : new long[] {pass, 2 * pass, pass};
        long rows = 0;
        for (int r = 0; r < shards; r++) {
            com.fasterxml.jackson.databind.JsonNode worker = report.get("per_worker").get(r);
            assertThat(worker.get("rank").asInt()).isEqualTo(r);
            assertThat(worker.get("rows_per_epoch").asLong()).isEqualTo(expectedRows[r]);
            assertThat(worker.get("steps").asLong()).isEqualTo(4 * 9);
            assertThat(worker.get("bytes_sent_per_step").asDouble()).isEqualTo((double) sent[r]);
            assertThat(worker.get("bytes_received_per_step").asDouble()).isEqualTo((double) received[r]);
            assertThat(worker.get("compute_ms_per_step").asDouble() + worker.get("exchange_ms_per_step").asDouble())
                    .isCloseTo(worker.get("ms_per_step").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
            rows += worker.get("rows_per_epoch").asLong();
        }
        assertThat(rows).as("every training row is computed by exactly one worker each epoch").isEqualTo(420);
    }
}
