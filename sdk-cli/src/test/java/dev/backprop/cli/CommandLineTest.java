package dev.backprop.cli;

import static dev.backprop.cli.InProcessCli.run;

import dev.backprop.cli.InProcessCli.Run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code backprop} command in-process: outputs, files and exit codes. */
class CommandLineTest {
    private static final Path CONFIG = Path.of("..", "config");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"train", "validate", "gradcheck", "evaluate", "predict", "plugins", "sweep"})
    void everySubcommandHasHelp(String command) {
        Run run = run(command, "--help");
        assertThat(run.code()).isZero();
        assertThat(run.out()).startsWith("Usage: backprop " + command);
    }

    @Test
    void trainOnTheWorkedExamplePrintsTheSeedsNumbersAndWritesTheRun() {
        Run run = run("train", CONFIG.resolve("worked-example.yaml").toString(), "--out", dir.resolve("run").toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("output [0.6902834929076443]", "delta  [-0.04068112511233903]",
                "delta  [-0.002654489030884742, -0.00817164506412987]", "-> output [0.6820185832642942]",
                "trained 1 epochs", "run directory: " + dir.resolve("run"));
        assertThat(dir.resolve("run/model.json")).exists();
        assertThat(dir.resolve("run/metrics.csv")).exists();
        assertThat(dir.resolve("run/config.yaml")).exists();
        assertThat(dir.resolve("run/run.log")).content().contains("Run directory:", "epoch 1: train loss");
    }

    @Test
    void masterWithoutSdkSparkExitsOneWithWhatIsMissingAndWritesNoRun() {
        // sdk-cli does not depend on sdk-spark: here, as for an embedder without it, there is no cluster backend.
        Run train = run("train", CONFIG.resolve("xor.yaml").toString(), "--master", "local[2]", "--out", dir.resolve("r").toString());
        assertThat(train.code()).isEqualTo(1);
        assertThat(train.err()).contains("[BP-601]", "needs the sdk-spark module and Apache Spark", "docs/distributed.md");
        assertThat(dir.resolve("r")).doesNotExist();
        Run partitions = run("train", CONFIG.resolve("xor.yaml").toString(), "--partitions", "2");
        assertThat(partitions.code()).isEqualTo(2);
        assertThat(partitions.err()).contains("--partitions needs --master");
        for (String command : List.of("train", "sweep")) {
            Run typo = run(command, CONFIG.resolve("xor.yaml").toString(), "--master", "local[0]");
            assertThat(typo.code()).isEqualTo(2);
            assertThat(typo.err()).contains("--master: expected local, local[N], local[*]", "got 'local[0]'");
        }
    }

    @Test
    void badConfigExitsTwoWithOneLocatedMessageAndNoStackTrace() throws IOException {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "network:\n  layers:\n    - dense: 2\n    - activation: sigmiod\ndata:\n  train: {synthetic: xor}\n");
        Run run = run("validate", config.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("error: [BP-102] " + config + ":4:19: network.layers[1].activation: "
                + "Unknown activation 'sigmiod'. Did you mean 'sigmoid'? Available activations: identity, leaky-relu, relu, sigmoid, softmax, tanh.");
        Run verbose = run("validate", config.toString(), "--verbose");
        assertThat(verbose.err()).contains("at dev.backprop.");
    }

    @Test
    void badArgumentsExitTwo() {
        assertThat(run("train").code()).isEqualTo(2);
        assertThat(run("fly").code()).isEqualTo(2);
        assertThat(run("train", "x.yaml", "--bogus").code()).isEqualTo(2);
        Run missing = run("train", dir.resolve("none.yaml").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("none.yaml: no such file.");
    }

    @Test
    void divergenceDuringTheRunExitsOne() throws IOException {
        Path config = dir.resolve("diverge.yaml");
        Files.writeString(config, "network:\n  layers: [{dense: 4}, {dense: 1}]\noptimizer: {name: sgd, learning-rate: 50}\n"
                + "training: {epochs: 200, batch-size: 1}\n"
                + "data:\n  train: {inline: {inputs: [[100, -100], [-100, 100]], targets: [[1000000], [-1000000]]}}\n");
        Run run = run("train", config.toString(), "--out", dir.resolve("d").toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("[BP-303] Training diverged", "smaller learning rate");
    }

    @Test
    void sweepRunsEveryTrialAndNamesTheBest() throws IOException {
        Path sweep = dir.resolve("sweep.yaml");
        Files.writeString(sweep, "base: " + CONFIG.resolve("xor.yaml").toAbsolutePath() + "\n"
                + "grid:\n  training.epochs: [5, 50]\n  optimizer.learning-rate: [0.1, 0.5]\nmetric: train-loss\n");
        Run run = run("sweep", sweep.toString(), "--out", dir.resolve("sweep").toString(), "--parallel", "2");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("trial-0001", "trial-0004", "best: trial-", "sweep.csv: " + dir.resolve("sweep/sweep.csv"));
        assertThat(Files.readAllLines(dir.resolve("sweep/sweep.csv"))).hasSize(5);
        assertThat(dir.resolve("sweep/trial-0003/model.json")).exists();
    }

    @Test
    void validateSummarisesWithoutTraining() {
        Run run = run("validate", CONFIG.resolve("iris.yaml").toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("is valid", "131 parameters", "120 training examples", "30 test");
    }

    @Test
    void gradcheckPassesOnAReadyConfig() {
        Run run = run("gradcheck", CONFIG.resolve("iris.yaml").toString(), "--batch", "4");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("PASSED: 131 values checked");
    }

    @Test
    void gradcheckFailsWithExitOneWhenTheToleranceCannotBeMet() {
        Run run = run("gradcheck", CONFIG.resolve("iris.yaml").toString(), "--tolerance", "1e-300");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).startsWith("FAILED");
    }

    @Test
    void evaluateAndPredictUseTheSavedModel() {
        assertThat(run("train", CONFIG.resolve("iris.yaml").toString(), "--out", dir.resolve("iris").toString()).code()).isZero();
        String model = dir.resolve("iris/model.json").toString();
        Run evaluate = run("evaluate", "--model", model, "--data", CONFIG.resolve("data/iris.csv").toString());
        assertThat(evaluate.code()).as(evaluate.err()).isZero();
        assertThat(evaluate.out()).contains("150 examples", "accuracy 9", "precision", "confusion matrix", "setosa", "virginica");
        Run predict = run("predict", "--model", model, "--input", "5.1,3.5,1.4,0.2", "--input", "6.7,3.0,5.2,2.3");
        assertThat(predict.code()).as(predict.err()).isZero();
        assertThat(predict.out().lines()).hasSize(2);
        assertThat(predict.out().lines().findFirst().orElseThrow()).endsWith("-> setosa");
        assertThat(predict.out().lines().skip(1).findFirst().orElseThrow()).endsWith("-> virginica");
        Run wrongWidth = run("predict", "--model", model, "--input", "1,2");
        assertThat(wrongWidth.code()).isEqualTo(2);
        assertThat(wrongWidth.err()).contains("has 2 values but the model expects 4");
        Run empty = run("predict", "--model", model, "--input", "");
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).contains("--input '' has no values but the model expects 4, separated by commas (--input 0.5,0.5,...).");
        Run semicolons = run("predict", "--model", model, "--input", "5.1;3.5;1.4;0.2");
        assertThat(semicolons.code()).isEqualTo(2);
        assertThat(semicolons.err()).contains("[BP-301] --input '5.1;3.5;1.4;0.2': '5.1;3.5;1.4;0.2' is not a number (values are "
                + "separated by commas: --input 0.5,0.5,...).");
    }
}
