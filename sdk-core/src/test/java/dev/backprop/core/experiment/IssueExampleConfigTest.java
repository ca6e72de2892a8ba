package dev.backprop.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration format's reference example works exactly as written in the docs. */
class IssueExampleConfigTest {
    private static final String EXAMPLE = """
            name: worked-example
            seed: 7
            network:
              inputs: 2
              layers:
                - dense: 2
                  bias: false
                  init: {name: explicit, weights: [[0.1, 0.8], [0.4, 0.6]]}
                - activation: sigmoid
                - dense: 1
                  bias: false
                  init: {name: explicit, weights: [[0.3, 0.9]]}
                - activation: sigmoid
            loss: squared-error
            optimizer: {name: sgd, learning-rate: 1.0}
            training: {epochs: 1, batch-size: 1, shuffle: false}
            data:
              train: {inline: {inputs: [[0.35, 0.9]], targets: [[0.5]]}}
            """;

    @TempDir
    Path dir;

    @Test
    void exampleRunsAsWritten() throws IOException {
        Files.writeString(dir.resolve("example.yaml"), EXAMPLE);
        assertThat(Files.readString(Path.of("..", "docs", "config.md"))).as("the docs show the same example").contains(EXAMPLE);
        RunResult result = new ExperimentRunner(PluginRegistry.discover()).run(dir.resolve("example.yaml"), List.of(),
                new RunOptions(dir.resolve("run"), dir, null, List.of()));
        assertThat(result.history().epochs()).hasSize(1);
        assertThat(result.model().network().denseLayerAt(2).weight(0, 1)).isCloseTo(0.8731, within(5e-4));
        assertThat(result.model().predict(new double[] {0.35, 0.9})[0]).isCloseTo(0.6820, within(5e-4));
        assertThat(result.runDirectory()).isEqualTo(dir.resolve("run"));
    }

    @Test
    void biasIsGivenBesideTheWeights() throws IOException {
        Files.writeString(dir.resolve("bias.yaml"), """
                network:
                  layers:
                    - dense: 1
                      init: {name: explicit, weights: [[2.0, -1.0]], bias: [0.5]}
                training: {epochs: 1, batch-size: 1, shuffle: false}
                optimizer: {name: sgd, learning-rate: 0.1}
                data:
                  train: {inline: {inputs: [[1.0, 1.0]], targets: [[3.0]]}}
                """);
        RunResult result = new ExperimentRunner(PluginRegistry.discover()).run(dir.resolve("bias.yaml"), List.of(),
                new RunOptions(dir.resolve("run"), dir, null, List.of()));
        // o = 2 - 1 + 0.5 = 1.5; dE/do = -1.5; b = 0.5 + 0.1 * 1.5
        assertThat(result.model().network().denseLayerAt(0).bias()[0]).isCloseTo(0.65, within(1e-15));
        assertThat(result.model().network().denseLayerAt(0).weight(0, 0)).isCloseTo(2.15, within(1e-15));
    }
}
