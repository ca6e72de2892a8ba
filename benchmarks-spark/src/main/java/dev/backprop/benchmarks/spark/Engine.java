package dev.backprop.benchmarks.spark;

import dev.backprop.core.config.ExperimentSource;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.RunOptions;
import dev.backprop.core.experiment.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The local engine's side of the comparisons: a plain run, as {@code ./backprop train} makes it. */
final class Engine {
    private Engine() {
    }

    static RunResult train(ExperimentRunner runner, ExperimentSource source, int batch, int epochs, Stats stats, long start) {
        try {
            Path out = Files.createTempDirectory("backprop-bench");
            RunResult result = runner.run(source, new RunOptions(out.resolve("run"), out, null, List.of()));
            try (var files = Files.walk(out)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
            long steps = (long) epochs * ((WorkloadB.EXAMPLES + batch - 1) / batch);
            stats.record((long) (result.seconds() * 1e9), 0, steps, (long) WorkloadB.EXAMPLES * epochs, System.nanoTime() - start);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
