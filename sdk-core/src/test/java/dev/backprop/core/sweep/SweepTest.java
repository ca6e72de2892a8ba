package dev.backprop.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.RunOptions;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {
    private static final ExperimentRunner RUNNER = new ExperimentRunner(PluginRegistry.discover());

    @TempDir
    Path dir;

    private Path sweep(String text) throws IOException {
        Files.writeString(dir.resolve("iris.yaml"), Files.readString(Path.of("..", "config", "iris.yaml"))
                .replace("data/iris.csv", Path.of("..", "config", "data", "iris.csv").toAbsolutePath().toString())
                .replace("test-split: 0.2", "validation-split: 0.2"));
        Path file = dir.resolve("sweep.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void gridAndRandomTrialsExpandInAFixedOrder() throws IOException {
        SweepConfig config = SweepConfig.read(sweep("""
                base: iris.yaml
                grid:
                  optimizer.learning-rate: [0.1, 0.01]
                  network.layers[0].dense: [4, 8]
                random: {trials: 2, seed: 3, parameters: {training.batch-size: [4, 8, 16], seed: range(100)}}
                metric: validation-accuracy
                """));
        assertThat(config.trials()).hasSize(8);
        assertThat(config.trials().get(0)).startsWith("optimizer.learning-rate=0.1", "network.layers[0].dense=4");
        assertThat(config.trials().get(7)).startsWith("optimizer.learning-rate=0.01", "network.layers[0].dense=8");
        assertThat(config.trials()).allSatisfy(t -> assertThat(t).hasSize(4));
        assertThat(SweepConfig.read(dir.resolve("sweep.yaml")).trials()).isEqualTo(config.trials());
        assertThat(config.minimise()).isFalse();
    }

    @Test
    void eachTrialEqualsTheSingleRunWithItsSettingsAndSweepCsvListsThem() throws IOException {
        Path file = sweep("""
                base: iris.yaml
                grid:
                  training.epochs: [3, 5]
                  seed: range(2)
                """);
        List<SweepRunner.Trial> trials = new SweepRunner(RUNNER).run(SweepConfig.read(file), dir.resolve("out"), 3);
        assertThat(trials).extracting(SweepRunner.Trial::id).containsExactly("trial-0001", "trial-0002", "trial-0003", "trial-0004");
        assertThat(Files.readAllLines(dir.resolve("out/sweep.csv"))).hasSize(5).element(1).asString()
                .startsWith("trial-0001,\"training.epochs=3; seed=0\",");
        RUNNER.run(dir.resolve("iris.yaml"), List.of("training.epochs=5", "seed=1"),
                new RunOptions(dir.resolve("alone"), dir, null, List.of()));
        assertThat(dir.resolve("out/trial-0004/model.json")).hasSameTextualContentAs(dir.resolve("alone/model.json"));
        SweepConfig config = SweepConfig.read(file);
        var best = SweepRunner.best(config, trials).orElseThrow();
        assertThat(trials).allSatisfy(t -> assertThat(t.metric()).isGreaterThanOrEqualTo(best.metric()));
    }

    @Test
    void badSweepsAreLocated() throws IOException {
        assertThatThrownBy(() -> SweepConfig.read(sweep("base: iris.yaml\ngird: {seed: [1]}\n")))
                .hasMessageContaining("sweep.yaml:2:1: gird: unknown key 'gird'. Did you mean 'grid'?");
        assertThatThrownBy(() -> SweepConfig.read(sweep("base: iris.yaml\ngrid: {seed: range(x)}\n")))
                .hasMessageContaining("grid.seed: expected a list of values or range(n)");
        assertThatThrownBy(() -> SweepConfig.read(sweep("grid: {seed: [1]}\n"))).hasMessageContaining("missing required key 'base'");
        Path badKey = sweep("base: iris.yaml\ngrid: {trainig.epochs: [1]}\n");
        assertThatThrownBy(() -> new SweepRunner(RUNNER).run(SweepConfig.read(badKey), dir.resolve("bad"), 1))
                .hasMessageContaining("trainig: unknown key 'trainig'. Did you mean 'training'?");
        // Trials are tasks themselves: a base that asks for distributed training is refused before any trial runs.
        Path distributed = sweep("base: iris.yaml\ngrid: {training.distributed.master: ['local[2]']}\n");
        assertThatThrownBy(() -> new SweepRunner(RUNNER).run(SweepConfig.read(distributed), dir.resolve("dist"), 1))
                .isInstanceOfSatisfying(dev.backprop.api.BackpropException.class,
                        e -> assertThat(e.code()).isEqualTo(dev.backprop.api.ErrorCode.TRAINING_INVALID))
                .hasMessageContaining("remove training.distributed from the base experiment");
        assertThat(dir.resolve("dist")).doesNotExist();
    }
}
