package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every standard plugin is found by name with the SDK on the module path (JPMS: {@code provides} in
 * module-info) and on the class path ({@code META-INF/services}), in a fresh JVM each.
 */
class PluginDiscoveryPathsTest {
    private static final List<String> NAMES = List.of("sigmoid", "tanh", "relu", "leaky-relu", "identity", "softmax",
            "squared-error", "cross-entropy", "binary-cross-entropy", "sgd", "adam", "uniform", "xavier-uniform",
            "xavier-normal", "he-uniform", "he-normal", "zeros", "constant", "explicit", "step", "exponential", "cosine");

    @Test
    void onTheModulePath() throws Exception {
        LaunchedJvm.Result result = LaunchedJvm.onModulePath(Path.of("."), "plugins");
        assertThat(result.exitCode()).as(result.err()).isZero();
        for (String name : NAMES) {
            assertThat(result.out()).containsPattern("(?m)^  " + name + " ");
        }
        assertThat(result.out()).contains("from module dev.backprop.plugins.activations",
                "from module dev.backprop.plugins.losses", "from module dev.backprop.plugins.optimizers",
                "from module dev.backprop.plugins.initializers");
        assertThat(result.out()).doesNotContain("from class path");
    }

    @Test
    void onTheClassPath() throws Exception {
        LaunchedJvm.Result result = LaunchedJvm.onClassPath(Path.of("."), "plugins");
        assertThat(result.exitCode()).as(result.err()).isZero();
        for (String name : NAMES) {
            assertThat(result.out()).containsPattern("(?m)^  " + name + " ");
        }
        assertThat(result.out()).contains("from class path").doesNotContain("from module");
    }

    @Test
    void aWholeRunWorksOnTheModulePathWithGuice(@org.junit.jupiter.api.io.TempDir Path out) throws Exception {
        Path config = Path.of("..", "config", "xor.yaml").toAbsolutePath();
        LaunchedJvm.Result result = LaunchedJvm.onModulePath(Path.of("."), "train", config.toString(), "--out", out.resolve("run").toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("train      loss", "accuracy 100.00%");
        assertThat(out.resolve("run/model.json")).exists();
        assertThat(out.resolve("run/run.log")).exists();
        // Not a terminal: one plain log line per epoch instead of a progress bar.
        assertThat(result.err()).contains("INFO  epoch 1: train loss", "INFO  epoch 2000: train loss");
        LaunchedJvm.Result quiet = LaunchedJvm.onModulePath(Path.of("."), "train", config.toString(), "--quiet",
                "--out", out.resolve("quiet").toString());
        assertThat(quiet.exitCode()).as(quiet.err()).isZero();
        assertThat(quiet.err()).doesNotContain("epoch 1:");
        assertThat(quiet.out()).contains("trained 2000 epochs");
    }
}
