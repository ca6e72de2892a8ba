package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that people watch, stop and resume: killed and interrupted processes resume to the same weights,
 * bit for bit, as an uninterrupted run; the pictures are drawn.
 */
class TrainingRunsTest {
    private static final String CONFIG = """
            name: long
            seed: 11
            network:
              layers: [{dense: 32}, {activation: relu}, {dropout: 0.1}, {dense: 10}, {activation: softmax}]
            loss: cross-entropy
            optimizer: {name: sgd, learning-rate: 0.02, momentum: 0.9}
            training:
              epochs: 60
              batch-size: 8
              schedule: {name: cosine, warmup-epochs: 2}
              checkpoint: {every: 1, keep: 3}
            data:
              train: {csv: %s, label: digit}
              validation-split: 0.2
              normalize: min-max
            """;

    @TempDir
    Path dir;

    private Path config() throws IOException {
        Path file = dir.resolve("long.yaml");
        Files.writeString(file, CONFIG.formatted(Path.of("..", "config", "data", "digits.csv").toAbsolutePath()));
        return file;
    }

    private Process start(Path runDir, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", LaunchedJvm.runtimePath(), "--module", "dev.backprop.cli/dev.backprop.cli.Main",
                "train", config().toString(), "--out", runDir.toString()));
        command.addAll(List.of(extra));
        return new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve(runDir.getFileName() + ".out").toFile())
                .redirectError(dir.resolve(runDir.getFileName() + ".err").toFile()).start();
    }

    private static void waitForCheckpoints(Path runDir, int count, Process process) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && process.isAlive()) {
            Path folder = runDir.resolve("checkpoints");
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    if (files.filter(p -> p.toString().endsWith(".ckpt")).count() >= count) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no checkpoints appeared in " + runDir + (process.isAlive() ? "" : " (the run ended early)"));
    }

    private static int finish(Process process) throws InterruptedException {
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the run did not finish");
        }
        return process.exitValue();
    }

    @Test
    void aKilledRunResumesToTheSameWeightsBitForBit() throws Exception {
        Process reference = start(dir.resolve("reference"), "--quiet");
        assertThat(finish(reference)).isZero();

        Process killed = start(dir.resolve("killed"));
        waitForCheckpoints(dir.resolve("killed"), 2, killed);
        killed.destroyForcibly(); // SIGKILL: no shutdown hook, no last checkpoint
        killed.waitFor(30, TimeUnit.SECONDS);
        assertThat(dir.resolve("killed/model.json")).doesNotExist();

        Process resumed = start(dir.resolve("killed"), "--resume", dir.resolve("killed").toString());
        assertThat(finish(resumed)).as(Files.readString(dir.resolve("killed.err"))).isZero();
        assertThat(dir.resolve("killed/model.json")).hasSameTextualContentAs(dir.resolve("reference/model.json"));
        assertThat(Files.readAllLines(dir.resolve("killed/metrics.csv"))).hasSize(61);
    }

    @Test
    void ctrlCWritesACheckpointAndSaysHowToResume() throws Exception {
        Process reference = start(dir.resolve("reference"), "--quiet");
        assertThat(finish(reference)).isZero();

        Process run = start(dir.resolve("stopped"));
        waitForCheckpoints(dir.resolve("stopped"), 1, run);
        new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();
        assertThat(finish(run)).isEqualTo(130);
        String out = Files.readString(dir.resolve("stopped.out"));
        assertThat(out).contains("interrupted after epoch", "resume with: ./backprop train", "--resume " + dir.resolve("stopped"));

        Process resumed = start(dir.resolve("stopped"), "--quiet", "--resume", dir.resolve("stopped").toString());
        assertThat(finish(resumed)).as(Files.readString(dir.resolve("stopped.err"))).isZero();
        assertThat(dir.resolve("stopped/model.json")).hasSameTextualContentAs(dir.resolve("reference/model.json"));
    }

    @Test
    void curvesAndConfusionPicturesAreDrawn() throws Exception {
        Path config = Path.of("..", "config", "iris.yaml");
        assertThat(Main.run(new String[] {"train", config.toString(), "--out", dir.resolve("iris").toString(), "--quiet"},
                new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(new java.io.StringWriter()))).isZero();
        assertPicture(dir.resolve("iris/curves.png"), 1000, 400);
        assertThat(Main.run(new String[] {"evaluate", "--model", dir.resolve("iris/model.json").toString(), "--data",
            Path.of("..", "config", "data", "iris.csv").toString()}, new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(new java.io.StringWriter()))).isZero();
        assertPicture(dir.resolve("iris/confusion.png"), 250, 200);
    }

    private static void assertPicture(Path file, int minWidth, int minHeight) throws IOException {
        BufferedImage image = ImageIO.read(new File(file.toString()));
        assertThat(image).as(file.toString()).isNotNull();
        assertThat(image.getWidth()).isGreaterThanOrEqualTo(minWidth);
        assertThat(image.getHeight()).isGreaterThanOrEqualTo(minHeight);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours).as("distinct colours in " + file).hasSizeGreaterThan(20);
    }
}
