package dev.backprop.core.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.api.BackpropException;
import dev.backprop.core.config.ExperimentConfig;
import dev.backprop.core.data.CsvLoader;
import dev.backprop.core.rundir.CheckpointFile;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Property: every reader, given a hostile or mutated input, returns a valid object or throws the SDK's
 * own {@link BackpropException}; never another exception or error, never a hang (each case is bounded
 * by a timeout), and never a file written.
 */
class HostileInputsProperties {
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();
    private static final ExperimentRunner RUNNER = new ExperimentRunner(REGISTRY);
    /** A hang detector only (a correct case takes milliseconds): generous enough for a machine at load 10. */
    private static final Duration LIMIT = Duration.ofMinutes(5);
    private static final ExecutorService WORKER = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "hostile-input");
        thread.setDaemon(true);
        return thread;
    });
    static final AtomicInteger CASES = new AtomicInteger();

    private static final String CONFIG = read(Path.of("..", "config", "worked-example.yaml"))
            + "\n# extra\nplugins: []\n";
    private static final String CSV = "a,b,label\n1,2,x\n3,4,y\n5.5,-6e3,x\n\"7\",8,\"y\"\n";
    private static final String MODEL = ModelFile.toJson(new dev.backprop.core.model.Model(
            dev.backprop.core.Backprop.create().network(2).dense(3).activation("leaky-relu", java.util.Map.of("alpha", 0.1))
                    .dense(2).activation("softmax").seed(1).build(),
            "cross-entropy", null, List.of("a", "b"), List.of("x", "y"), List.of("x", "y"), "label"));

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterContainer
    static void report() {
        System.out.println("hostile-input property cases run: " + CASES.get());
    }

    /** Runs the action in a bounded time; only the SDK's exception may come out. */
    private static void mustBeSafe(String what, ThrowingRunnable action) throws Exception {
        CASES.incrementAndGet();
        Future<?> result = WORKER.submit(() -> {
            action.run();
            return null;
        });
        try {
            result.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new AssertionError(what + " did not finish within " + LIMIT);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (!(cause instanceof BackpropException)) {
                throw new AssertionError(what + " threw " + cause, cause);
            }
            assertThat(cause.getMessage()).as(what).isNotBlank();
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static Path scratch() throws IOException {
        return Files.createTempDirectory("hostile");
    }

    private static void assertOnlyFiles(Path dir, String... names) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .as("files written").containsExactlyInAnyOrder(names);
        }
    }

    @Property(tries = 800)
    void configReaderIsSafe(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int rounds) throws Exception {
        Path dir = scratch();
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, Mutations.mutate(CONFIG, seed, rounds));
        mustBeSafe("config " + seed, () -> {
            ExperimentConfig config = RUNNER.load(file, List.of());
            RUNNER.prepare(config);
        });
        assertOnlyFiles(dir, "c.yaml");
    }

    @Property(tries = 100)
    void configOverridesAreSafe(@ForAll long seed) throws Exception {
        Path dir = scratch();
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, CONFIG);
        String override = Mutations.mutate("network.layers[0].init=" + "{name: explicit, weights: [[1, 2], [3, 4]]}", seed, 3);
        mustBeSafe("override " + override.length(), () -> RUNNER.prepare(RUNNER.load(file, List.of(override))));
        assertOnlyFiles(dir, "c.yaml");
    }

    @Property(tries = 300)
    void csvReaderIsSafe(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int rounds) throws Exception {
        Path dir = scratch();
        Path file = dir.resolve("d.csv");
        Files.writeString(file, Mutations.mutate(CSV, seed, rounds));
        mustBeSafe("csv " + seed, () -> CsvLoader.from(file).shownAs("d.csv").label("label").load());
        mustBeSafe("csv regression " + seed, () -> CsvLoader.from(file).shownAs("d.csv").targets("b").load());
        assertOnlyFiles(dir, "d.csv");
    }

    @Property(tries = 300)
    void modelReaderIsSafe(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int rounds) throws Exception {
        String text = Mutations.mutate(MODEL, seed, rounds);
        mustBeSafe("model " + seed, () -> ModelFile.parse(text, "model.json", REGISTRY));
    }

    @Property(tries = 150)
    void checkpointReaderIsSafe(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int rounds) throws Exception {
        Path dir = scratch();
        Path file = dir.resolve("c.ckpt");
        var model = ModelFile.parse(MODEL, "m", REGISTRY);
        var state = new dev.backprop.core.training.TrainingState(3, 0, 0, 0, List.of(), java.util.Map.of("m[0]", new double[] {1, 2}),
                List.of(), Double.NaN, 0, 0, List.of());
        CheckpointFile.write(file, model, state, java.util.Map.of("seed", "42", "optimizer.name", "adam"));
        String text = Files.readString(file);
        // Mutate the payload and, half of the time, recompute nothing: the checksum must catch it; the other
        // half keep the header so that the JSON parser itself meets the damage.
        Files.writeString(file, seed % 2 == 0 ? Mutations.mutate(text, seed, rounds)
                : text.substring(0, text.indexOf('\n') + 1) + Mutations.mutate(text.substring(text.indexOf('\n') + 1), seed, rounds));
        mustBeSafe("checkpoint " + seed, () -> CheckpointFile.read(file, REGISTRY));
        assertOnlyFiles(dir, "c.ckpt");
    }
}
