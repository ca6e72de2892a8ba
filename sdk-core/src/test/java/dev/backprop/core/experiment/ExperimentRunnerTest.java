package dev.backprop.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.inject.Guice;
import dev.backprop.core.inject.BackpropModule;
import dev.backprop.core.model.Model;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.network.DenseLayer;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the ready configurations in {@code config/} end to end. */
class ExperimentRunnerTest {
    private static final Path CONFIG = Path.of("..", "config");
    private static final ExperimentRunner RUNNER = Guice.createInjector(new BackpropModule(PluginRegistry.discover()))
            .getInstance(ExperimentRunner.class);

    @TempDir
    Path out;

    @Test
    void theResolvedConfigHoldsEveryPluginParameterWithItsDefault() throws IOException {
        RUNNER.run(CONFIG.resolve("xor.yaml"), List.of("optimizer=adam", "training.epochs=1"),
                new RunOptions(out.resolve("adam"), out, null, List.of()));
        java.util.Map<Object, Object> written = (java.util.Map<Object, Object>) new org.yaml.snakeyaml.Yaml().load(Files.readString(out.resolve("adam/config.yaml")));
        // Adam's own defaults (sdk plugin), written although the config named only the plugin.
        assertThat((java.util.Map<Object, Object>) written.get("optimizer")).containsEntry("name", "adam").containsEntry("learning-rate", 0.001)
                .containsEntry("beta1", 0.9).containsEntry("beta2", 0.999).containsEntry("epsilon", 1e-8);
        // The loss the config left out is written with its name; a layer's default initializer too.
        assertThat((java.util.Map<Object, Object>) written.get("loss")).containsKey("name");
    }

    @Test
    void theTracePrintsPerExampleDeltasForABatchOfMany() {
        // Two copies of the worked example in one batch: each row's delta is the one-example delta, not twice it.
        StringWriter trace = new StringWriter();
        RUNNER.run(CONFIG.resolve("worked-example.yaml"), List.of("training.batch-size=2",
                "data.train.inline.inputs=[[0.35, 0.9], [0.35, 0.9]]", "data.train.inline.targets=[[0.5], [0.5]]"),
                new RunOptions(out.resolve("batch"), out, new PrintWriter(trace), List.of()));
        double y3 = sig(0.1 * 0.35 + 0.8 * 0.9);
        double y4 = sig(0.4 * 0.35 + 0.6 * 0.9);
        double y5 = sig(0.3 * y3 + 0.9 * y4);
        double d5 = y5 * (1 - y5) * (0.5 - y5);
        assertThat(trace.toString()).contains("delta  [" + d5 + "] | [" + d5 + "]").doesNotContain(String.valueOf(2 * d5));
    }

    @Test
    void workedExampleConfigReproducesSeed001() throws IOException {
        StringWriter trace = new StringWriter();
        RunResult result = RUNNER.run(CONFIG.resolve("worked-example.yaml"), List.of(),
                new RunOptions(out.resolve("run"), out, new PrintWriter(trace), List.of()));

        // Independent computation of the note's example.
        double y3 = sig(0.1 * 0.35 + 0.8 * 0.9);
        double y4 = sig(0.4 * 0.35 + 0.6 * 0.9);
        double y5 = sig(0.3 * y3 + 0.9 * y4);
        double d5 = y5 * (1 - y5) * (0.5 - y5);
        double d3 = y3 * (1 - y3) * 0.3 * d5;
        double d4 = y4 * (1 - y4) * 0.9 * d5;
        DenseLayer hidden = result.model().network().denseLayerAt(0);
        DenseLayer output = result.model().network().denseLayerAt(2);
        assertThat(hidden.weight(0, 0)).isCloseTo(0.1 + d3 * 0.35, within(1e-12)).isCloseTo(0.0991, within(5e-4));
        assertThat(hidden.weight(0, 1)).isCloseTo(0.8 + d3 * 0.9, within(1e-12)).isCloseTo(0.7976, within(5e-4));
        assertThat(hidden.weight(1, 0)).isCloseTo(0.4 + d4 * 0.35, within(1e-12)).isCloseTo(0.3971, within(5e-4));
        assertThat(hidden.weight(1, 1)).isCloseTo(0.6 + d4 * 0.9, within(1e-12)).isCloseTo(0.5926, within(5e-4));
        assertThat(output.weight(0, 0)).isCloseTo(0.3 + d5 * y3, within(1e-12)).isCloseTo(0.2724, within(5e-4));
        assertThat(output.weight(0, 1)).isCloseTo(0.9 + d5 * y4, within(1e-12)).isCloseTo(0.8731, within(5e-4));
        assertThat(result.model().predict(new double[] {0.35, 0.9})[0]).isCloseTo(0.6820, within(5e-4));

        // The trace prints the note's numbers unrounded.
        String printed = trace.toString();
        assertThat(printed).contains("output [" + y5 + "]", "delta  [" + d5 + "]", "delta  [" + d3 + ", " + d4 + "]");
        assertThat(printed).contains("-> output [" + result.model().predict(new double[] {0.35, 0.9})[0] + "]");

        // The run directory.
        assertThat(out.resolve("run/config.yaml")).content().contains("name: worked-example", "learning-rate: 1.0",
                "batch-size: 1", "versions:", "sdk:");
        assertThat(Files.readAllLines(out.resolve("run/metrics.csv"))).hasSize(2)
                .first().isEqualTo("epoch,train_loss,validation_loss,train_accuracy,validation_accuracy,seconds");
        double loss = 0.5 * (0.5 - y5) * (0.5 - y5);
        assertThat(Files.readAllLines(out.resolve("run/metrics.csv")).get(1)).startsWith("1," + loss + ",,,,");
        try (var files = Files.list(out.resolve("run"))) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain(".tmp").allSatisfy(n -> assertThat(n).doesNotEndWith(".tmp"));
        }
    }

    @Test
    void digitsReachesNinetyFivePercentOnItsSeededTestSplit() {
        RunResult result = RUNNER.run(CONFIG.resolve("digits.yaml"), List.of(), new RunOptions(out.resolve("d"), out, null, List.of()));
        assertThat(result.test().examples()).isEqualTo(359); // 20% of 1797
        assertThat(result.test().accuracy()).isGreaterThanOrEqualTo(0.95);
        assertThat(result.seconds()).as("training time").isLessThan(60);
    }

    @Test
    void irisReachesNinetyThreePercent() {
        RunResult result = RUNNER.run(CONFIG.resolve("iris.yaml"), List.of(), new RunOptions(out.resolve("i"), out, null, List.of()));
        assertThat(result.test().examples()).isEqualTo(30);
        assertThat(result.test().accuracy()).isGreaterThanOrEqualTo(0.93);
    }

    @Test
    void xorAndSpiralsLearn() {
        RunResult xor = RUNNER.run(CONFIG.resolve("xor.yaml"), List.of(), new RunOptions(out.resolve("x"), out, null, List.of()));
        assertThat(xor.train().accuracy()).isEqualTo(1.0);
        assertThat(xor.train().meanLoss()).isLessThan(0.01);
        RunResult spirals = RUNNER.run(CONFIG.resolve("spirals.yaml"), List.of(), new RunOptions(out.resolve("s"), out, null, List.of()));
        assertThat(spirals.validation().accuracy()).isGreaterThan(0.9);
    }

    @Test
    void sameConfigSameSeedGivesTheSameModelFile() throws IOException {
        RUNNER.run(CONFIG.resolve("iris.yaml"), List.of("training.epochs=5"), new RunOptions(out.resolve("a"), out, null, List.of()));
        RUNNER.run(CONFIG.resolve("iris.yaml"), List.of("training.epochs=5"), new RunOptions(out.resolve("b"), out, null, List.of()));
        assertThat(out.resolve("a/model.json")).hasSameTextualContentAs(out.resolve("b/model.json"));
    }

    @Test
    void savedModelLoadsBackBitForBit() {
        RunResult result = RUNNER.run(CONFIG.resolve("iris.yaml"), List.of("training.epochs=3"), new RunOptions(out.resolve("m"), out, null, List.of()));
        Model loaded = ModelFile.read(out.resolve("m/model.json"), RUNNER.plugins());
        assertThat(ModelFile.toJson(loaded)).isEqualTo(ModelFile.toJson(result.model()));
        for (int p = 0; p < loaded.network().parameters().size(); p++) {
            assertThat(loaded.network().parameters().get(p).values()).isEqualTo(result.model().network().parameters().get(p).values());
        }
        double[] raw = {5.1, 3.5, 1.4, 0.2};
        assertThat(loaded.predict(raw)).isEqualTo(result.model().predict(raw));
        assertThat(loaded.classes()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(loaded.normalizer().method()).isEqualTo("standard");
    }

    private static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
