package dev.backprop.core.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.backprop.core.Backprop;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.RunOptions;
import dev.backprop.core.experiment.RunResult;
import dev.backprop.core.inject.BackpropModule;
import dev.backprop.core.network.Network;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.Dataset;
import dev.backprop.core.training.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Prediction from many threads, runs side by side, trainers used twice at once, concurrent discovery. */
class ConcurrencyTest {
    private static final Backprop BACKPROP = Backprop.create();

    @Test
    @Timeout(600) // a hang detector only
    void aTrainedModelPredictsTheSameFromEightThreads() throws Exception {
        Network network = BACKPROP.network(16).dense(32).activation("tanh").dropout(0.2).dense(8).activation("softmax").seed(6).build();
        SplittableRandom random = new SplittableRandom(2);
        double[][] inputs = new double[1000][16];
        for (double[] row : inputs) {
            for (int c = 0; c < row.length; c++) {
                row[c] = random.nextDouble(-2, 2);
            }
        }
        double[][] expected = new double[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            expected[i] = network.predict(inputs[i]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> workers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                final int offset = w;
                workers.add(pool.submit(() -> {
                    int checked = 0;
                    for (int k = 0; k < 12_500; k++) {
                        int i = (k * 7 + offset * 131) % inputs.length;
                        double[] out = k % 10 == 0 ? network.predict(new double[][] {inputs[i]})[0] : network.predict(inputs[i]);
                        if (!java.util.Arrays.equals(out, expected[i]) && k % 10 != 0) {
                            throw new AssertionError("thread " + offset + " disagreed on input " + i);
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            int total = 0;
            for (Future<Integer> worker : workers) {
                total += worker.get();
            }
            assertThat(total).isEqualTo(100_000);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    @Timeout(600) // a hang detector only
    void aTrainerUsedFromTwoThreadsAtOnceFailsFast() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Trainer trainer = heldAtStart(inside, release);
        Dataset data = Dataset.of(new double[][] {{1, 2}}, new double[][] {{1}});
        Thread first = new Thread(() -> trainer.fit(BACKPROP.network(2).dense(1).build(), data));
        first.start();
        inside.await();
        assertThatThrownBy(() -> trainer.fit(BACKPROP.network(2).dense(1).build(), data))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already running fit() on another thread");
        release.countDown();
        first.join();
    }

    @Test
    @Timeout(600) // a hang detector only
    void twoTrainersOnOneNetworkAtOnceFailFastAndTheNetworkCanBeTrainedAfterwards() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Trainer holding = heldAtStart(inside, release);
        Dataset data = Dataset.of(new double[][] {{1, 2}}, new double[][] {{1}});
        Network shared = BACKPROP.network(2).dense(1).build();
        Thread first = new Thread(() -> holding.fit(shared, data));
        first.start();
        inside.await();
        Trainer other = BACKPROP.trainer().epochs(1).build();
        assertThatThrownBy(() -> other.fit(shared, data))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already being trained by another fit()");
        // The refused trainer is free again, and a copy of the network may be trained meanwhile.
        assertThat(other.fit(shared.copy(), data).epochs()).hasSize(1);
        release.countDown();
        first.join();
        assertThat(other.fit(shared, data).epochs()).hasSize(1);
    }

    /** A one-epoch trainer whose fit signals {@code inside} as it starts and then waits for {@code release}. */
    private static Trainer heldAtStart(CountDownLatch inside, CountDownLatch release) {
        return BACKPROP.trainer().epochs(1).listener(new dev.backprop.api.TrainingListener() {
            @Override
            public void onTrainingStart(int epochs, int examples, int batchSize) {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }).build();
    }

    @Test
    @Timeout(600) // a hang detector only
    void twoExperimentsSideBySideEqualEachRunAlone(@TempDir Path dir) throws Exception {
        Injector injector = Guice.createInjector(new BackpropModule(PluginRegistry.discover()));
        ExperimentRunner runner = injector.getInstance(ExperimentRunner.class);
        Path iris = Path.of("..", "config", "iris.yaml");
        Path spirals = Path.of("..", "config", "spirals.yaml");
        RunResult irisAlone = runner.run(iris, List.of("training.epochs=20"), new RunOptions(dir.resolve("a1"), dir, null, List.of()));
        RunResult spiralsAlone = runner.run(spirals, List.of("training.epochs=10"), new RunOptions(dir.resolve("b1"), dir, null, List.of()));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<RunResult> irisTogether = pool.submit(() -> runner.run(iris, List.of("training.epochs=20"),
                    new RunOptions(dir.resolve("a2"), dir, null, List.of())));
            Future<RunResult> spiralsTogether = pool.submit(() -> runner.run(spirals, List.of("training.epochs=10"),
                    new RunOptions(dir.resolve("b2"), dir, null, List.of())));
            irisTogether.get();
            spiralsTogether.get();
        } finally {
            pool.shutdown();
        }
        assertThat(dir.resolve("a2/model.json")).hasSameTextualContentAs(dir.resolve("a1/model.json"));
        assertThat(dir.resolve("b2/model.json")).hasSameTextualContentAs(dir.resolve("b1/model.json"));
        assertThat(irisAlone.test().accuracy()).isPositive();
        assertThat(spiralsAlone.validation().accuracy()).isPositive();
    }

    @Test
    @Timeout(600) // a hang detector only
    void pluginDiscoveryIsSafeFromManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<PluginRegistry>> registries = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                registries.add(pool.submit(() -> PluginRegistry.builder()
                        .discover(new java.net.URLClassLoader(new java.net.URL[0], getClass().getClassLoader())).build()));
            }
            for (Future<PluginRegistry> registry : registries) {
                assertThat(registry.get().names(dev.backprop.api.PluginKind.ACTIVATION)).contains("sigmoid", "softmax");
                assertThat(registry.get().failures()).isEmpty();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aRunDirectoryThatCannotBeWrittenIsAnOutputError(@TempDir Path dir) throws Exception {
        Path blocker = Files.writeString(dir.resolve("file"), "not a folder");
        ExperimentRunner runner = new ExperimentRunner(PluginRegistry.discover());
        assertThatThrownBy(() -> runner.run(Path.of("..", "config", "xor.yaml"), List.of(),
                new RunOptions(blocker.resolve("run"), dir, null, List.of())))
                .isInstanceOfSatisfying(dev.backprop.api.BackpropException.class,
                        e -> assertThat(e.code()).isEqualTo(dev.backprop.api.ErrorCode.OUTPUT_FAILED))
                .hasMessageContaining("could not create the run directory");
    }
}
