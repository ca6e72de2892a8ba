package dev.backprop.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.sweep.SweepConfig;
import dev.backprop.core.sweep.SweepRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** A sweep's trials as Spark tasks, in one JVM or in executor JVMs, give what the local thread pool gives, bit for bit. */
class SparkSweepTest {
    private static final Path SWEEP = Path.of("src/test/resources/experiments/sweep.yaml");
    private static final SweepRunner RUNNER = new SweepRunner(new ExperimentRunner(PluginRegistry.discover()));

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local[2]", "local-cluster[2,1,1024]"})
    void trialsAsSparkTasksEqualTrialsOnTheLocalPool(String master) throws IOException {
        SparkTrainingTest.prepareSparkHome();
        SweepConfig sweep = SweepConfig.read(SWEEP);
        List<SweepRunner.Trial> local = RUNNER.run(sweep, dir.resolve("pool"), 2);
        // a retried task finds what its failed attempt left; it must remove it and touch nothing else
        Path stale = Files.createDirectories(dir.resolve("spark/trial-0002")).resolve("stale.txt");
        Files.writeString(stale, "from an earlier attempt");
        Path neighbour = Files.writeString(dir.resolve("spark/notes.txt"), "not the trial's");

        List<SweepRunner.Trial> spark = RUNNER.run(sweep, dir.resolve("spark"), jobs -> new SparkBackend().runTrials(master, jobs));

        assertThat(spark).hasSize(4);
        for (int i = 0; i < local.size(); i++) {
            SweepRunner.Trial a = local.get(i);
            SweepRunner.Trial b = spark.get(i);
            assertThat(b.id()).isEqualTo(a.id());
            assertThat(b.settings()).isEqualTo(a.settings());
            assertThat(b.trainLoss()).isEqualTo(a.trainLoss());
            assertThat(b.testAccuracy()).isEqualTo(a.testAccuracy());
            assertThat(Files.readString(dir.resolve("spark").resolve(a.id()).resolve("model.json")))
                    .isEqualTo(Files.readString(dir.resolve("pool").resolve(a.id()).resolve("model.json")));
        }
        assertThat(stale).doesNotExist();
        assertThat(neighbour).hasContent("not the trial's");
        assertThat(csvWithoutSeconds(dir.resolve("spark/sweep.csv"))).isEqualTo(csvWithoutSeconds(dir.resolve("pool/sweep.csv")));
        assertThat(SweepRunner.best(sweep, spark).orElseThrow().id()).isEqualTo(SweepRunner.best(sweep, local).orElseThrow().id());
    }

    private static List<String> csvWithoutSeconds(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().map(line -> line.substring(0, line.lastIndexOf(','))).toList();
    }
}
