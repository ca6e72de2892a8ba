package dev.backprop.samples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the sample as a modular application: a fresh JVM with {@code --module-path} (its classes and its
 * runtime dependencies, as Maven resolved them) and {@code --module}, so Guice injects the sample's own
 * class across module boundaries, as it does for an application.
 */
class EmbeddingModulePathTest {

    @Test
    void runsOnTheModulePathWithGuiceInjectingTheApplicationsClass(@TempDir Path dir) throws Exception {
        String modulePath = Path.of("target/classes").toAbsolutePath() + File.pathSeparator
                + Files.readString(Path.of("target/runtime-path.txt")).trim();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--module-path", modulePath,
                "--module", "dev.backprop.samples.embedding/dev.backprop.samples.embedding.EmbeddingApp", dir.toString());
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("finished (a hang detector only)").isTrue();
        assertThat(process.exitValue()).as(Files.readString(err)).isZero();
        assertThat(Files.readString(err)).isEmpty();
        assertThat(Files.readString(out)).contains("epoch 2000: loss", "saved and reloaded", "[1.0, 0.0] -> 0.99",
                "served 1000 predictions from 8 threads");
        assertThat(dir.resolve("xor-model.json")).content().contains("\"label\" : \"xor\"", "\"loss\" : \"squared-error\"");
    }
}
