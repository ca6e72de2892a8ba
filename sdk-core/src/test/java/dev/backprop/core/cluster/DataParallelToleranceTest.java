package dev.backprop.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.api.TrainableParameter;
import dev.backprop.core.config.ExperimentSource;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.RunOptions;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.GradientExchange;
import dev.backprop.core.training.InProcessGradientExchange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How far two data-parallel workers (the distributed worker's code, joined in-process: the same sums in
 * the same order as on Spark) end from the local run, for the example configurations: each weight within
 * {@code 1e-12 * max|w|} of its parameter block. A weight near zero can differ by more than 1e-12 of
 * itself; measured per block, the difference is the rounding of reordered sums.
 */
class DataParallelToleranceTest {
    private static final ExperimentRunner RUNNER = new ExperimentRunner(PluginRegistry.discover());
    private static final double TOLERANCE = 1e-12;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"spirals.yaml", "iris.yaml", "digits.yaml", "xor.yaml", "worked-example.yaml"})
    void twoWorkersEndWithin1e12OfEachBlocksLargestWeight(String name) throws Exception {
        Path config = Path.of("../config").resolve(name).toAbsolutePath().normalize();
        List<double[]> local = new ArrayList<>();
        for (TrainableParameter p : RUNNER.run(config, List.of(), new RunOptions(dir.resolve("local"), dir, null, List.of()))
                .model().network().parameters()) {
            local.add(p.values());
        }
        List<GradientExchange> group = InProcessGradientExchange.group(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        WorkerResult parallel;
        try {
            List<Future<WorkerResult>> results = new ArrayList<>();
            for (GradientExchange member : group) {
                results.add(pool.submit(() -> new ClusterWorker(RUNNER).train(ExperimentSource.read(config, List.of()), member, 1)));
            }
            parallel = results.get(0).get(5, TimeUnit.MINUTES);
            results.get(1).get(5, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        double worstScaled = 0;
        double worstRelative = 0;
        for (int p = 0; p < local.size(); p++) {
            double largest = 0;
            double difference = 0;
            for (int i = 0; i < local.get(p).length; i++) {
                double a = local.get(p)[i];
                double b = parallel.weights()[p][i];
                largest = Math.max(largest, Math.abs(a));
                difference = Math.max(difference, Math.abs(a - b));
                if (a != b) {
                    worstRelative = Math.max(worstRelative, Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
                }
            }
            worstScaled = Math.max(worstScaled, difference / largest);
        }
        System.out.println(String.format(Locale.ROOT, "%s: max over blocks of max|a-b| / max|w| = %.2e; max relative per weight = %.2e",
                name, worstScaled, worstRelative));
        assertThat(worstScaled).isLessThanOrEqualTo(TOLERANCE);
    }
}
