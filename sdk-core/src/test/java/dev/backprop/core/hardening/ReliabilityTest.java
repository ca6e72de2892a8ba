package dev.backprop.core.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ElementwiseActivation;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.PluginParameters;
import dev.backprop.core.Backprop;
import dev.backprop.core.data.CsvLoader;
import dev.backprop.core.data.Numbers;
import dev.backprop.core.rundir.CheckpointFile;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.network.Network;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.sweep.SweepConfig;
import dev.backprop.core.sweep.SweepRunner;
import dev.backprop.core.training.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The classes of failure beyond single malformed files: endless inputs, sizes asked for before they are
 * checked, readers with two meanings, sweeps whose trials fail, plugins that fail in unusual ways, and
 * errors that must say what the operating system or the SDK knows.
 */
class ReliabilityTest {
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();
    private static final Path CORPUS = Path.of("src", "test", "resources", "hostile");

    @TempDir
    Path dir;

    /** A hang detector only, never the thing that decides correct code: generous enough for a machine at load 10. */
    private static <T> T withinMinutes(org.junit.jupiter.api.function.ThrowingSupplier<T> work) {
        return Assertions.assertTimeoutPreemptively(Duration.ofMinutes(5), work);
    }

    private static Throwable thrown(Runnable work) {
        try {
            work.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"model", "csv", "checkpoint"})
    void aDeviceThatNeverEndsIsRefusedQuicklyWithoutFillingTheMemory(String reader) {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "a /dev/zero to read");
        Runnable read = switch (reader) {
            case "model" -> () -> ModelFile.read(zero, REGISTRY);
            case "csv" -> () -> CsvLoader.from(zero).shownAs("/dev/zero").label("label").load();
            default -> () -> CheckpointFile.read(zero, REGISTRY);
        };
        Throwable error = withinMinutes(() -> thrown(read));
        assertThat(error).isInstanceOf(BackpropException.class).hasMessageStartingWith("[BP-")
                .hasMessageContaining("/dev/zero: binary content, not text (a NUL byte at byte 1)");
    }

    @Test
    void anEndlessPipeOfTextIsCutAtTheBound() throws Exception {
        // A stream of valid-looking JSON that never ends: the byte bound stops it (the bound here is the model's 1 GiB,
        // so the test feeds a small file through the same stream class with a small bound).
        Path file = Files.writeString(dir.resolve("long.txt"), "[1,".repeat(1000));
        try (var in = dev.backprop.core.io.BoundedFiles.open(file, 100, true)) {
            assertThatThrownBy(() -> in.readAllBytes()).isInstanceOf(dev.backprop.core.io.BoundedFiles.LimitException.class)
                    .hasMessageContaining("more than 100 bytes");
        }
    }

    @Test
    void aDuplicateKeyIsRefusedWithItsLocationInTheSdksWords() {
        Path file = CORPUS.resolve("model/duplicate-classes.json");
        assertThatThrownBy(() -> ModelFile.read(file, REGISTRY))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INVALID))
                .hasMessageMatching("\\[BP-502] .*duplicate-classes\\.json:\\d+:\\d+: the key 'classes' appears twice in one object; .*");
        assertThatThrownBy(() -> ModelFile.read(CORPUS.resolve("model/trailing-content.json"), REGISTRY))
                .hasMessageContaining("unexpected content after the end of the JSON value");
        assertThatThrownBy(() -> ModelFile.read(CORPUS.resolve("model/number-as-string.json"), REGISTRY))
                .hasMessageContaining("number-as-string.json: inputs: expected a whole number >= 1");
        assertThatThrownBy(() -> ModelFile.parse("{\"format\": \"backprop-model\"} x", "m.json", REGISTRY))
                .hasMessage("[BP-502] m.json:1:31: not valid JSON: unexpected text 'x'; expected a JSON value (a string, number, "
                        + "array, object, true, false or null) or punctuation.");
    }

    @Test
    void dataAndInlineInputsAcceptPlainDecimalsOnly() {
        assertThat(Numbers.parse("5.1").getAsDouble()).isEqualTo(5.1);
        assertThat(Numbers.parse("-.5").getAsDouble()).isEqualTo(-0.5);
        assertThat(Numbers.parse("+2.5E-3").getAsDouble()).isEqualTo(0.0025);
        assertThat(Numbers.parse("7.").getAsDouble()).isEqualTo(7.0);
        for (String notPlain : List.of("5.1d", "5.1f", "0x1.6p0", "0x10", "NaN", "Infinity", "-Infinity", "1e999", "", " ", "1,5",
                "1_000", "١٢")) {
            assertThat(Numbers.parse(notPlain)).as(notPlain).isEmpty();
        }
        assertThatThrownBy(() -> CsvLoader.from(CORPUS.resolve("csv/java-double-suffix.csv")).shownAs("java-double-suffix.csv")
                .label("label").load()).hasMessageContaining("java-double-suffix.csv:2, column 'a': expected a finite decimal "
                        + "number such as 5.1 or -2e-3, got '5.1d'.");
    }

    @Test
    void aFileThatIsNotCsvIsNotEchoed() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "root:x:0:0:root:/root:/bin/bash\nline two\n");
        assertThatThrownBy(() -> CsvLoader.from(secret).shownAs("secret.txt").label("species").load())
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID))
                .hasMessageContaining("does not look like a CSV file").hasMessageNotContaining("root:x");
    }

    @Test
    void aSweepAsksForNoMoreTrialsThanAllowedBeforeAllocatingThem() throws IOException {
        Path file = Files.writeString(dir.resolve("s.yaml"), """
                base: b.yaml
                grid: {seed: range(999999), training.epochs: range(999999)}
                """);
        Throwable grid = withinMinutes(() -> thrown(() -> SweepConfig.read(file)));
        assertThat(grid).isInstanceOf(BackpropException.class).hasMessageContaining("more than 10000 trials");
        Files.writeString(file, """
                base: b.yaml
                random: {trials: 2000000000, parameters: {seed: [1, 2]}}
                """);
        Throwable random = withinMinutes(() -> thrown(() -> SweepConfig.read(file)));
        assertThat(random).isInstanceOf(BackpropException.class)
                .hasMessageContaining("s.yaml:2:18: random.trials: the sweep would have 2000000000 trials; at most 10000");
    }

    private Path iris(String replaceFrom, String replaceTo) throws IOException {
        Files.writeString(dir.resolve("iris.yaml"), Files.readString(Path.of("..", "config", "iris.yaml"))
                .replace("data/iris.csv", Path.of("..", "config", "data", "iris.csv").toAbsolutePath().toString())
                .replace(replaceFrom, replaceTo));
        return dir.resolve("iris.yaml");
    }

    @Test
    void aFailingTrialIsRecordedAndTheSweepGoesOn() throws IOException {
        // A learning rate that grows 40-fold each epoch diverges; the trials beside it are unaffected.
        Files.writeString(dir.resolve("base.yaml"), """
                network:
                  layers: [{dense: 4}, {dense: 1}]
                optimizer: {name: sgd, learning-rate: 0.001}
                training:
                  epochs: 30
                  batch-size: 2
                  shuffle: false
                  schedule: {name: exponential, gamma: 0.9}
                data:
                  train: {inline: {inputs: [[1, 2], [3, -1], [0.5, 0.5], [2, 2]], targets: [[10], [-4], [2], [7]]}}
                """);
        Path file = Files.writeString(dir.resolve("s.yaml"), """
                base: base.yaml
                grid: {training.schedule.gamma: [0.9, 40, 0.95]}
                metric: train-loss
                """);
        List<SweepRunner.Trial> trials = new SweepRunner(new ExperimentRunner(REGISTRY)).run(SweepConfig.read(file), dir.resolve("out"), 2);
        assertThat(trials).extracting(SweepRunner.Trial::status).containsExactly("ok", "diverged", "ok");
        assertThat(trials.get(1).message()).startsWith("[BP-303] Training diverged");
        assertThat(trials.get(0).metric()).isFinite();
        assertThat(trials.get(2).metric()).isFinite();
        assertThat(SweepRunner.best(SweepConfig.read(file), trials)).isPresent();
        List<String> rows = Files.readAllLines(dir.resolve("out/sweep.csv"));
        assertThat(rows.get(0)).endsWith(",test_accuracy,status,message,seconds");
        assertThat(rows.get(2)).contains(",diverged,\"[BP-303] Training diverged");
        assertThat(rows.get(1)).containsPattern(",ok,\"\",\\d+\\.\\d{3}$");
    }

    @Test
    void aMetricNoTrialWouldProduceIsRefusedBeforeTheFirstTrial() throws IOException {
        iris("nothing", "nothing"); // as shipped: a test split, no validation data
        Path file = Files.writeString(dir.resolve("s.yaml"), """
                base: iris.yaml
                grid: {training.epochs: [1, 2]}
                metric: validation-loss
                """);
        assertThatThrownBy(() -> new SweepRunner(new ExperimentRunner(REGISTRY)).run(SweepConfig.read(file), dir.resolve("out"), 1))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("metric: 'validation-loss' is never measured")
                .hasMessageContaining("data.validation-split or data.validation");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aSweepFolderInUseIsRefused() throws IOException {
        Files.writeString(dir.resolve("base.yaml"), "network: {layers: [{dense: 1}]}\ndata: {train: {synthetic: xor}}\n"
                + "training: {epochs: 1}\n");
        Path file = Files.writeString(dir.resolve("s.yaml"), "base: base.yaml\ngrid: {seed: [1, 2]}\nmetric: train-loss\n");
        try (var held = dev.backprop.core.rundir.RunDirectory.open(dir.resolve("out"),
                dev.backprop.core.rundir.RunDirectory.Mode.SWEEP)) {
            assertThatThrownBy(() -> new SweepRunner(new ExperimentRunner(REGISTRY)).run(SweepConfig.read(file), dir.resolve("out"), 1))
                    .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUN_DIRECTORY_IN_USE));
        }
        assertThat(new SweepRunner(new ExperimentRunner(REGISTRY)).run(SweepConfig.read(file), dir.resolve("out"), 1)).hasSize(2);
        // A rerun rewrites its trials and leaves the user's own files in the folder alone.
        Path notes = Files.writeString(dir.resolve("out/notes.txt"), "mine");
        assertThat(new SweepRunner(new ExperimentRunner(REGISTRY)).run(SweepConfig.read(file), dir.resolve("out"), 1)).hasSize(2);
        assertThat(notes).hasContent("mine");
    }

    /** Recurses without end in its forward pass. */
    public static final class RecursiveActivation extends ElementwiseActivation {
        @Override
        public double apply(double net) {
            return apply(net + 1) + 1;
        }

        @Override
        public double derivative(double net, double out) {
            return 1;
        }
    }

    /** A class whose static initialiser fails, as a plugin with a broken dependency does. */
    static final class BrokenStatics {
        static final int VALUE = Integer.parseInt(System.getProperty("backprop.test.no-such-property", "not a number"));

        private BrokenStatics() {
        }
    }

    private static ActivationProvider provider(String name, java.util.function.Supplier<Activation> create) {
        return new ActivationProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Activation create(PluginParameters parameters) {
                return create.get();
            }
        };
    }

    @Test
    void pluginFaultsShowTheirCauseInOneLine() {
        PluginRegistry registry = PluginRegistry.builder().include(REGISTRY)
                .register(provider("recursive", RecursiveActivation::new))
                .register(provider("broken-statics", () -> {
                    int value = BrokenStatics.VALUE;
                    throw new AssertionError("unreachable " + value);
                })).build();
        Backprop backprop = new Backprop(registry);
        Network network = backprop.network(2).dense(2).activation("recursive").dense(1).build();
        Dataset data = Dataset.of(new double[][] {{1, 2}}, new double[][] {{1}});
        assertThatThrownBy(() -> backprop.trainer().build().fit(network, data))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_FAILED))
                .hasMessageContaining("(activation plugin 'recursive', " + RecursiveActivation.class.getName()
                        + ") threw in its forward pass: StackOverflowError (a recursion without end)");
        assertThatThrownBy(() -> registry.createActivation("broken-statics", Map.of()))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_FAILED))
                .hasMessageContaining("The activation plugin 'broken-statics'")
                .hasMessageContaining("failed: its class " + BrokenStatics.class.getName() + " failed to initialise: "
                        + "java.lang.NumberFormatException: For input string: "
                        + "\"not a number\"");
    }

    @Test
    void pluginKindsAreNamedInGoodEnglish() {
        assertThatThrownBy(() -> REGISTRY.createLoss("lossy", Map.of()))
                .hasMessageContaining("Available losses: ").hasMessageNotContaining("losss");
        assertThatThrownBy(() -> REGISTRY.createActivation("x".repeat(100_000), Map.of()))
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(600));
    }
}
