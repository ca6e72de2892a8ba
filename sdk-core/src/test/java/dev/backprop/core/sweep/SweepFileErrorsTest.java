package dev.backprop.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.ErrorCode;
import dev.backprop.core.config.ConfigException;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep file's mistakes are reported in the sweep file (file, line, column, key), never as a
 * {@code --set} the user did not type; a key swept after one of its children, which would silently drop
 * the child's values, is refused naming both; and its numbers are read as a configuration's are.
 */
class SweepFileErrorsTest {
    private static final ExperimentRunner RUNNER = new ExperimentRunner(PluginRegistry.discover());

    @TempDir
    Path dir;

    private Path sweep(String text) throws Exception {
        Files.writeString(dir.resolve("base.yaml"), """
                network:
                  layers: [{dense: 2}, {activation: softmax}]
                loss: cross-entropy
                optimizer: {name: sgd, learning-rate: 0.1}
                training: {epochs: 1}
                data:
                  train: {synthetic: xor}
                  validation-split: 0.25
                """);
        return Files.writeString(dir.resolve("sweep.yaml"), text);
    }

    private void refused(Path file, String... fragments) {
        var thrown = assertThatThrownBy(() -> new SweepRunner(RUNNER).run(SweepConfig.read(file), dir.resolve("out"), 1))
                .isInstanceOf(ConfigException.class)
                .hasMessageNotContaining("--set");
        for (String fragment : fragments) {
            thrown.hasMessageContaining(fragment);
        }
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aKeySweptAfterItsChildIsRefusedNamingBothKeysAndTheirPlaces() throws Exception {
        Path file = sweep("""
                base: base.yaml
                grid:
                  optimizer.learning-rate: [0.1]
                  optimizer: [{name: adam}]
                """);
        assertThatThrownBy(() -> SweepConfig.read(file))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining(file + ":4:14: grid.optimizer: sets the whole of 'optimizer', which replaces "
                        + "grid.optimizer.learning-rate (" + file + ":3:28), set before it");
        // In the other order the child is set inside each value of its parent: a useful grid, accepted.
        Path parentFirst = sweep("""
                base: base.yaml
                grid:
                  optimizer: [{name: sgd}, {name: adam}]
                  optimizer.learning-rate: [0.1, 0.01]
                """);
        assertThat(SweepConfig.read(parentFirst).trials()).hasSize(4).first()
                .isEqualTo(java.util.List.of("optimizer={name: sgd}", "optimizer.learning-rate=0.1"));
        // A random parameter is applied after the grid: a child in the grid and its parent drawn is the same loss.
        Path randomParent = sweep("""
                base: base.yaml
                grid:
                  network.layers[0].dense: [2]
                random: {trials: 2, parameters: {network.layers: [[{dense: 2}, {activation: softmax}]]}}
                """);
        assertThatThrownBy(() -> SweepConfig.read(randomParent))
                .hasMessageContaining("random.parameters.network.layers: sets the whole of 'network.layers', which replaces "
                        + "grid.network.layers[0].dense");
        Path twice = sweep("""
                base: base.yaml
                grid: {seed: [1, 2]}
                random: {parameters: {seed: range(5)}}
                """);
        assertThatThrownBy(() -> SweepConfig.read(twice))
                .hasMessageContaining(twice + ":3:29: random.parameters.seed: 'seed' is already swept by grid.seed (" + twice + ":2:14)");
    }

    @Test
    void aBadValueIsReportedWhereTheSweepFileGivesIt() throws Exception {
        refused(sweep("""
                base: base.yaml
                grid:
                  training.epochs: [2, many]
                """), "sweep.yaml:3:24: grid.training.epochs[1]: training.epochs: expected a whole number >= 1, got the string 'many'.");
        refused(sweep("""
                base: base.yaml
                grid:
                  network.layers[5].dense: [4]
                """), "sweep.yaml:3:29: grid.network.layers[5].dense[0]: network.layers[5]: no such item; the list has 2 items.");
        refused(sweep("""
                base: base.yaml
                grid:
                  optimizer:
                    - {name: sgd, learning-rate: 0.1}
                    - {name: sgd, learning-rate: -1}
                """), "sweep.yaml:5:7: grid.optimizer[1]: optimizer.learning-rate:", "got -1");
        refused(sweep("""
                base: base.yaml
                random: {parameters: {training.shuffle: [true, yes]}}
                """), "sweep.yaml:2:48: random.parameters.training.shuffle[1]: training.shuffle: expected true or false; "
                + "'yes' is true in YAML 1.1 but the string 'yes' in YAML 1.2; write true.");
    }

    @Test
    void numbersInASweepFileAreReadAsInAConfiguration() throws Exception {
        refused(sweep("""
                base: base.yaml
                grid: {training.epochs: [010]}
                """), "sweep.yaml:2:26: grid.training.epochs[0]: training.epochs: expected a whole number >= 1; "
                + "'010' is 8 in YAML 1.1 (a leading zero means octal) but 10 in YAML 1.2; write 10 or 8.");
        for (String written : new String[] {"0o10", "0x1F", "0b1", "1_000", "1:30", "+010"}) {
            refused(sweep("base: base.yaml\ngrid: {training.epochs: [" + written + "]}\n"), "sweep.yaml:2:26: grid.training.epochs[0]",
                    "'" + written + "' is ");
        }
        // Quoted values stay strings, and values both YAML versions read alike are accepted as written.
        refused(sweep("base: base.yaml\ngrid: {training.epochs: ['10']}\n"), "got the string '10'.");
        SweepConfig accepted = SweepConfig.read(sweep("""
                base: base.yaml
                grid: {optimizer.learning-rate: [.5, 1e3, 1E-3], training.shuffle: [false]}
                """));
        assertThat(accepted.trials()).extracting(t -> t.get(0))
                .containsExactly("optimizer.learning-rate=.5", "optimizer.learning-rate=1e3", "optimizer.learning-rate=1E-3");
        assertThat(RUNNER.load(dir.resolve("base.yaml"), accepted.trials().get(2)).optimizer().parameters())
                .containsEntry("learning-rate", 0.001);
    }
}
