package dev.backprop.benchmarks.spark;

import dev.backprop.core.config.ExperimentSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * docs/performance.md's workload B as an experiment file: 10,000 seeded random MNIST-shaped examples
 * (784 inputs in [0, 1) with three decimals, 10 classes) in a CSV file, and a 784-256-128-10 network.
 * Files, because distributed workers rebuild experiments from their YAML text and read data by path.
 */
final class WorkloadB {
    static final int EXAMPLES = 10_000;
    static final int INPUTS = 784;
    static final int CLASSES = 10;
    /** Weights and biases of 784-256-128-10. */
    static final long WEIGHTS = 784L * 256 + 256 + 256L * 128 + 128 + 128L * 10 + 10;

    private WorkloadB() {
    }

    /** The data, written once per folder. */
    static Path csv(Path folder) {
        Path csv = folder.resolve("workload-b.csv");
        if (Files.exists(csv)) {
            return csv;
        }
        try {
            Files.createDirectories(folder);
            Path temp = Files.createTempFile(folder, "workload-b", ".tmp");
            SplittableRandom random = new SplittableRandom(7);
            try (BufferedWriter out = Files.newBufferedWriter(temp)) {
                for (int c = 1; c <= INPUTS; c++) {
                    out.write("x" + c + ",");
                }
                out.write("label\n");
                StringBuilder line = new StringBuilder();
                for (int r = 0; r < EXAMPLES; r++) {
                    line.setLength(0);
                    for (int c = 0; c < INPUTS; c++) {
                        line.append(String.format(Locale.ROOT, "%.3f", random.nextDouble())).append(',');
                    }
                    line.append('c').append(random.nextInt(CLASSES)).append('\n');
                    out.write(line.toString());
                }
            }
            Files.move(temp, csv);
            return csv;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param folder where the files go
     * @param hidden the hidden activation ({@code relu} for workload B, {@code sigmoid} to match MLlib)
     * @param batchSize examples per update
     * @param epochs passes over the data
     * @return the experiment
     */
    static ExperimentSource experiment(Path folder, String hidden, int batchSize, int epochs) {
        csv(folder);
        String yaml = String.join("\n",
                "name: workload-b",
                "seed: 1",
                "network:",
                "  layers:",
                "    - dense: 256",
                "    - activation: " + hidden,
                "    - dense: 128",
                "    - activation: " + hidden,
                "    - dense: 10",
                "    - activation: softmax",
                "loss: cross-entropy",
                "optimizer: {name: sgd, learning-rate: 0.01}",
                "training: {epochs: " + epochs + ", batch-size: " + batchSize + "}",
                "data:",
                "  train: {csv: workload-b.csv, label: label}",
                "");
        return new ExperimentSource(yaml, "workload-b.yaml", folder.toAbsolutePath().toString(), List.of());
    }
}
