package dev.backprop.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.backprop.api.BackpropException;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.TrainableParameter;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.RunOptions;
import dev.backprop.core.experiment.RunResult;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training on Spark against the in-process engine: one partition gives the same bits,
 * {@code local[2]} and two executor JVMs ({@code local-cluster}) agree to 1e-12 relative.
 */
class SparkTrainingTest {
    private static final Path SPIRALS = Path.of("src/test/resources/experiments/spirals.yaml");
    private static final Path IRIS = Path.of("src/test/resources/experiments/iris.yaml");
    private static final ExperimentRunner RUNNER = new ExperimentRunner(PluginRegistry.discover());

    @TempDir
    static Path dir;

    private static RunResult local;

    @BeforeAll
    static void trainLocally() {
        local = run(SPIRALS, "local");
    }

    private static RunResult run(Path config, String name, String... overrides) {
        return RUNNER.run(config, List.of(overrides), new RunOptions(dir.resolve(name), dir, null, List.of()));
    }

    static List<double[]> weights(RunResult result) {
        List<double[]> weights = new ArrayList<>();
        for (TrainableParameter p : result.model().network().parameters()) {
            weights.add(p.values());
        }
        return weights;
    }

    @Test
    void onePartitionIsBitIdenticalToTheInProcessEngine() throws IOException {
        RunResult spark = run(SPIRALS, "local-1", "training.distributed.master=local[1]", "training.distributed.partitions=1");
        List<double[]> expected = weights(local);
        List<double[]> actual = weights(spark);
        for (int p = 0; p < expected.size(); p++) {
            assertThat(actual.get(p)).as("parameter block %d", p).isEqualTo(expected.get(p));
        }
        assertThat(Files.readString(spark.runDirectory().resolve("model.json")))
                .isEqualTo(Files.readString(local.runDirectory().resolve("model.json")));
        assertSameHistory(spark.history().epochs(), local.history().epochs(), 0);
        assertThat(spark.test().accuracy()).isEqualTo(local.test().accuracy());
        // the driver writes the same run directory a local run writes
        assertThat(spark.runDirectory().resolve("metrics.csv")).exists();
        assertThat(Files.readString(spark.runDirectory().resolve("config.yaml"))).contains("master: local[1]");
    }

    @Test
    void twoPartitionsOnLocal2AgreeTo1e12() {
        RunResult spark = run(SPIRALS, "local-2", "training.distributed.master=local[2]", "training.distributed.partitions=2");
        double worst = maxRelativeDifference(weights(spark), weights(local));
        assertThat(worst).isLessThan(1e-12).isGreaterThan(0.0); // summed in another order: close, not identical
        assertSameHistory(spark.history().epochs(), local.history().epochs(), 1e-12);
    }

    @Test
    void twoExecutorJvmsAgreeTo1e12AndWithLocal2BitForBit() throws IOException {
        prepareSparkHome();
        RunResult cluster = run(SPIRALS, "cluster", "training.distributed.master=local-cluster[2,1,1024]",
                "training.distributed.partitions=2");
        assertThat(maxRelativeDifference(weights(cluster), weights(local))).isLessThan(1e-12);
        RunResult local2 = run(SPIRALS, "local-2-again", "training.distributed.master=local[2]", "training.distributed.partitions=2");
        List<double[]> a = weights(cluster);
        List<double[]> b = weights(local2);
        for (int p = 0; p < a.size(); p++) {
            assertThat(a.get(p)).as("same partitioning, same sums, same bits; block %d", p).isEqualTo(b.get(p));
        }
    }

    @Test
    void csvDataIsReadByEveryWorkerFromItsPath() {
        RunResult alone = run(IRIS, "iris-local");
        RunResult spark = run(IRIS, "iris-spark", "training.distributed.master=local[2]");
        assertThat(maxRelativeDifference(weights(spark), weights(alone))).isLessThan(1e-12);
        assertThat(spark.test().accuracy()).isEqualTo(alone.test().accuracy());
    }

    @Test
    void moreWorkersThanTaskSlotsIsOneClearError() {
        assertThatThrownBy(() -> run(SPIRALS, "too-many", "training.distributed.master=local[2]", "training.distributed.partitions=3"))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLUSTER_FAILED))
                .hasMessageContaining("fewer task slots than the 3 workers");
    }

    @Test
    void aWorkersOwnErrorKeepsItsCode() {
        assertThatThrownBy(() -> run(SPIRALS, "diverges", "optimizer.learning-rate=1e200", "training.distributed.master=local[2]"))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TRAINING_DIVERGED))
                .hasMessageContaining("Training diverged");
    }

    @Test
    void oneFailingWorkerStopsTheWholeStageInsteadOfLeavingTheOthersWaiting() {
        assertTimeoutPreemptively(Duration.ofMinutes(10), () -> assertThatThrownBy(() -> run(SPIRALS, "one-fails",
                "network.layers[1].activation=fails-on-worker-1", "training.distributed.master=local[2]"))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_FAILED))
                .hasMessageContaining("worker 1 fails on purpose"));
    }

    @Test
    void aStopRequestCancelsTheJobAndWritesNothing() {
        RunOptions stopAtOnce = new RunOptions(dir.resolve("stopped"), dir, null, List.of()).stopWhen(() -> true);
        RunResult stopped = RUNNER.run(SPIRALS, List.of("training.distributed.master=local[2]", "training.epochs=200"), stopAtOnce);
        assertThat(stopped.interrupted()).isTrue();
        assertThat(stopped.history().epochs()).isEmpty();
        assertThat(stopped.lastCheckpoint()).isNull();
        assertThat(dir.resolve("stopped")).doesNotExist();
        // the cancelled job's context is gone and the next run starts a fresh one
        RunResult next = run(SPIRALS, "after-stop", "training.distributed.master=local[2]");
        assertThat(next.history().epochs()).hasSize(4);
    }

    /** local-cluster starts executor JVMs from SPARK_HOME/jars: a folder linking every jar of this class path. */
    static void prepareSparkHome() throws IOException {
        Path home = Path.of(System.getenv("SPARK_HOME"));
        Path jars = home.resolve("jars");
        Files.createDirectories(jars);
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            if (entry.endsWith(".jar") && Files.isRegularFile(path) && !Files.exists(jars.resolve(path.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(path.getFileName()), path);
            }
        }
    }

    private static void assertSameHistory(List<EpochMetrics> actual, List<EpochMetrics> expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int e = 0; e < expected.size(); e++) {
            assertThat(relative(actual.get(e).trainLoss(), expected.get(e).trainLoss())).isLessThanOrEqualTo(tolerance);
            assertThat(relative(actual.get(e).validationLoss(), expected.get(e).validationLoss())).isLessThanOrEqualTo(tolerance);
            assertThat(actual.get(e).trainAccuracy()).isEqualTo(expected.get(e).trainAccuracy());
        }
    }

    static double maxRelativeDifference(List<double[]> a, List<double[]> b) {
        double worst = 0;
        for (int p = 0; p < a.size(); p++) {
            for (int i = 0; i < a.get(p).length; i++) {
                worst = Math.max(worst, relative(a.get(p)[i], b.get(p)[i]));
            }
        }
        return worst;
    }

    private static double relative(double a, double b) {
        return a == b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    }
}
