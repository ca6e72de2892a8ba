package dev.backprop.core.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.backprop.api.BackpropException;
import dev.backprop.core.data.CsvLoader;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the hostile corpus in {@code src/test/resources/hostile/} is refused with the SDK's own
 * exception, whose message names the file (for a sweep, the sweep file, never a {@code --set}), within a few
 * seconds, and nothing is written. Files named
 * {@code valid-*} are odd but legitimate (a BOM, CRLF line ends, a batch larger than the data) and must load.
 */
class HostileCorpusTest {
    private static final Path CORPUS = Path.of("src", "test", "resources", "hostile");
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();

    static Stream<Path> files(String kind) throws IOException {
        return Files.list(CORPUS.resolve(kind)).sorted();
    }

    static Stream<Path> configs() throws IOException {
        return files("config");
    }

    static Stream<Path> csvs() throws IOException {
        return files("csv");
    }

    static Stream<Path> models() throws IOException {
        return files("model");
    }

    /** A hang detector only, never the thing that decides a correct read: generous enough for a machine at load 10. */
    private static final Duration HANG = Duration.ofMinutes(5);

    private static void refused(Path file, Runnable read) {
        if (file.getFileName().toString().startsWith("valid-")) {
            Assertions.assertTimeoutPreemptively(HANG, read::run);
            return;
        }
        Throwable thrown = Assertions.assertTimeoutPreemptively(HANG, () -> {
            try {
                read.run();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertThat(thrown).as(file.toString()).isInstanceOf(BackpropException.class);
        assertThat(thrown.getMessage()).as("the message names the file").contains(file.getFileName().toString().replace(".yaml", ""));
        assertThat(thrown.getMessage().length()).as("the message echoes no more than an excerpt: " + thrown.getMessage().substring(0,
                Math.min(300, thrown.getMessage().length()))).isLessThan(1000);
        assertThat(thrown.getMessage()).as("the SDK's words, not the JSON library's").doesNotContain("StreamReadFeature")
                .doesNotContain("DeserializationFeature").doesNotContain("Cannot invoke").doesNotContain("com.fasterxml");
        assertThat(thrown.getMessage()).as("located where the user wrote it, not at a --set nobody typed").doesNotContain("--set '");
        assertThat(thrown.getMessage()).as("one line, whatever the file holds").doesNotContain("\n").doesNotContain("\r");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void hostileConfigsAreRefused(Path file) throws IOException {
        ExperimentRunner runner = new ExperimentRunner(REGISTRY);
        long before = countFiles();
        refused(file, () -> runner.prepare(runner.load(file, List.of())));
        assertThat(countFiles()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("csvs")
    void hostileCsvFilesAreRefused(Path file) {
        refused(file, () -> CsvLoader.from(file).label("label").load());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void hostileModelFilesAreRefused(Path file) {
        refused(file, () -> ModelFile.read(file, REGISTRY));
    }

    /** Sweep files; {@code base.yaml} is the experiment they share. */
    static Stream<Path> sweeps() throws IOException {
        return files("sweep").filter(p -> !p.getFileName().toString().equals("base.yaml"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sweeps")
    void hostileSweepFilesAreRefusedInTheSweepFile(Path file, @org.junit.jupiter.api.io.TempDir Path out) throws IOException {
        long before = countFiles();
        refused(file, () -> new dev.backprop.core.sweep.SweepRunner(new ExperimentRunner(REGISTRY))
                .run(dev.backprop.core.sweep.SweepConfig.read(file), out.resolve("sweep"), 1));
        if (!file.getFileName().toString().startsWith("valid-")) {
            assertThat(out.resolve("sweep")).as("a refused sweep writes nothing").doesNotExist();
        }
        assertThat(countFiles()).isEqualTo(before);
    }

    private static long countFiles() throws IOException {
        try (Stream<Path> files = Files.walk(CORPUS)) {
            return files.count();
        }
    }

    @org.junit.jupiter.api.Test
    void theCorpusIsThere() {
        assertThatCode(() -> assertThat(configs().count() + csvs().count() + models().count()).isGreaterThan(50)).doesNotThrowAnyException();
    }
}
