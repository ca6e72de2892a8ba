package dev.backprop.core.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small checkpointed experiment: 60 examples in batches of 16 (4 batches an epoch), 3 epochs of Adam. */
final class CheckpointedRunConfig {
    private static final String TEXT = """
            name: %s
            seed: 42
            network:
              layers: [{dense: 5}, {activation: tanh}, {dense: 3}, {activation: softmax}]
            loss: cross-entropy
            optimizer: {name: adam, learning-rate: 0.01}
            training:
              epochs: 3
              batch-size: 16
              checkpoint: {every: 1, keep: 2}
            data:
              train: {synthetic: spirals, samples: 60}
            """;

    private CheckpointedRunConfig() {
    }

    /** Writes the experiment as {@code dir/NAME.yaml}, named {@code name}. */
    static Path write(Path dir, String name) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), TEXT.formatted(name));
    }
}
