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
}
