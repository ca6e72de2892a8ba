package dev.backprop.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.config.ExperimentSource;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core's side of distributed runs, without a cluster: the experiment as shipped text runs exactly as
 * the file does, and a run that names a master without sdk-spark present fails cleanly.
 */
class DistributedRunTest {
    private static final Path IRIS = Path.of("..", "config", "iris.yaml");
    private static final ExperimentRunner RUNNER = new ExperimentRunner(PluginRegistry.discover());

    @TempDir
    Path dir;

    private RunOptions into(String name) {
        return new RunOptions(dir.resolve(name), dir, null, List.of());
    }

    @Test
    void anExperimentShippedAsTextTrainsExactlyAsItsFile() throws IOException {
        List<String> overrides = List.of("training.epochs=3");
        RunResult fromFile = RUNNER.run(IRIS, overrides, into("file"));
        // relative paths (data/iris.csv) resolve against the shipped base folder, not the working directory
        RunResult fromText = RUNNER.run(ExperimentSource.read(IRIS, overrides), into("text"));
        assertThat(Files.readString(fromText.runDirectory().resolve("model.json")))
                .isEqualTo(Files.readString(fromFile.runDirectory().resolve("model.json")));
    }

    @Test
    void anExecutorWhosePluginVersionsDifferFromTheDriversRefusesToRun() {
        ExperimentSource source = ExperimentSource.read(IRIS, List.of());
        var versions = RUNNER.pluginVersions(RUNNER.load(source));
        assertThat(versions).containsKeys("optimizer adam", "loss cross-entropy", "activation tanh", "activation softmax");
        assertThat(RUNNER.load(source.withPluginVersions(versions)).name()).isEqualTo("iris"); // same jars: accepted
        var other = new java.util.HashMap<>(versions);
        other.put("optimizer adam", "9.9-elsewhere");
        assertThatThrownBy(() -> RUNNER.load(source.withPluginVersions(other)))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLUSTER_FAILED))
                .hasMessageContaining("the optimizer adam plugin is version " + versions.get("optimizer adam")
                        + " here but 9.9-elsewhere where the run was started");
    }

    @Test
    void namingAMasterWithoutSdkSparkIsOneClearErrorAndWritesNothing() {
        assertThatThrownBy(() -> RUNNER.run(IRIS, List.of("training.distributed.master=local[2]"), into("spark")))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLUSTER_FAILED))
                .hasMessageContaining("master 'local[2]' needs the sdk-spark module and Apache Spark on the class path")
                .hasMessageContaining("docs/distributed.md");
        assertThat(dir.resolve("spark")).doesNotExist();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"local", "local[*]", "local[4]", "local[4,2]", "local[*, 3]",
        "local-cluster[2,1,1024]", "local-cluster[ 2 , 1 , 512 ]", "spark://head:7077", "spark://a:7077,b:7077", "yarn",
        "k8s://https://api.example:6443"})
    void everyMasterUrlSparkAcceptsIsAccepted(String master) {
        var config = RUNNER.load(IRIS, List.of("training.distributed.master=" + master, "training.distributed.partitions=3"));
        assertThat(config.training().distributed().master()).isEqualTo(master);
        assertThat(config.training().distributed().partitions()).isEqualTo(3);
        assertThat(dev.backprop.core.config.MasterUrl.isValid(master)).isTrue();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "local[0]", "local[-1]", "local[2,0]", "locals", "local-cluster[2,1]",
        "local-cluster[0,1,1024]", "spark://head", "spark://:7077", "mesos://x:5050", "bogus://x", "yarn-client", "local[2] "})
    void aMalformedMasterUrlIsRefusedBeforeAnythingStarts(String master) {
        assertThat(dev.backprop.core.config.MasterUrl.isValid(master)).isFalse();
    }

    @Test
    void resumingADistributedRunWithoutCheckpointsIsTheLocalRunsError() {
        // distributed runs resume (sdk-spark's SparkCheckpointTest); the checkpoint is looked for before the cluster starts
        RunOptions resume = into("r").resumeFrom(dir.resolve("r"));
        String local = org.junit.jupiter.api.Assertions.assertThrows(BackpropException.class,
                () -> RUNNER.run(IRIS, List.of(), resume)).getMessage();
        assertThat(local).contains("no such run directory to resume");
        assertThatThrownBy(() -> RUNNER.run(IRIS, List.of("training.distributed.master=local[2]"), resume))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_FAILED))
                .hasMessage(local);
    }

    @Test
    void aDistributedConfigBuiltInCodeAsksForItsText() {
        var config = RUNNER.load(IRIS, List.of("training.distributed.master=local[2]"));
        assertThat(config.training().distributed().master()).isEqualTo("local[2]");
        assertThat(config.training().distributed().partitions()).isZero();
        assertThatThrownBy(() -> RUNNER.run(config, into("c")))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TRAINING_INVALID))
                .hasMessageContaining("run it with run(Path, ...) or run(ExperimentSource, ...)");
    }
}
