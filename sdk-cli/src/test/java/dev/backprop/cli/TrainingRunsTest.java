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
        return startAt(null, runDir, extra);
    }

    /** Starts a run that stops at an exact epoch through the CLI's test seam ({@code N:halt} or {@code N:hold}), or none. */
    private Process startAt(String seam, Path runDir, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("train", config().toString(), "--out", runDir.toString()));
        args.addAll(List.of(extra));
        return LaunchedJvm.start(dir, seam, dir.resolve(runDir.getFileName() + ".out"), dir.resolve(runDir.getFileName() + ".err"), args);
    }

    /** A hang detector only: a correct run ends long before it, even on a machine at load 10. */
    private static int finish(Process process) throws InterruptedException {
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the run did not finish");
        }
        return process.exitValue();
    }

    @Test
    void aKilledRunResumesToTheSameWeightsBitForBit() throws Exception {
        Process reference = start(dir.resolve("reference"), "--quiet");
        assertThat(finish(reference)).isZero();

        // Halted as SIGKILL would (no shutdown hook, no last checkpoint) right after the checkpoint of epoch 2.
        Process killed = startAt("2:halt", dir.resolve("killed"));
        assertThat(finish(killed)).isEqualTo(137);
        assertThat(dir.resolve("killed/model.json")).doesNotExist();

        Process resumed = start(dir.resolve("killed"), "--resume", dir.resolve("killed").toString());
        assertThat(finish(resumed)).as(Files.readString(dir.resolve("killed.err"))).isZero();
        assertThat(dir.resolve("killed/model.json")).hasSameTextualContentAs(dir.resolve("reference/model.json"));
        assertThat(Files.readAllLines(dir.resolve("killed/metrics.csv"))).hasSize(61);
        assertThat(Files.readString(dir.resolve("killed.out"))).contains("trained 58 epochs in this process (3-60), 60 of 60 in the run");
    }

    @Test
    void aRunKilledBetweenItsLastCheckpointAndModelJsonIsFinishedByItsResumeWithoutTrainingOn() throws Exception {
        Process reference = start(dir.resolve("reference"), "--quiet");
        assertThat(finish(reference)).isZero();

        // Halted right after the checkpoint of its last epoch, before model.json.
        Process killed = startAt("60:halt", dir.resolve("killed"), "--quiet");
        assertThat(finish(killed)).isEqualTo(137);
        assertThat(dir.resolve("killed/model.json")).doesNotExist();
        assertThat(dir.resolve("killed/checkpoints/checkpoint-e0000060-b0000000.ckpt")).exists();

        Process resumed = start(dir.resolve("killed"), "--resume", dir.resolve("killed").toString());
        assertThat(finish(resumed)).as(Files.readString(dir.resolve("killed.err"))).isZero();
        assertThat(dir.resolve("killed/model.json")).hasSameTextualContentAs(dir.resolve("reference/model.json"));
        assertThat(Files.readAllLines(dir.resolve("killed/metrics.csv"))).hasSize(61);
        String out = Files.readString(dir.resolve("killed.out"));
        assertThat(out).contains("trained 0 epochs in this process", "60 of 60 in the run", "validation loss");

        // The run is complete now: another resume is refused, saying so.
        Process again = start(dir.resolve("killed"), "--resume", dir.resolve("killed").toString());
        assertThat(finish(again)).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("killed.err"))).contains("[BP-506]", "the run is complete",
                "--set training.epochs=120");
    }

    @Test
    void ctrlCWritesACheckpointAndSaysHowToResume() throws Exception {
        Process reference = start(dir.resolve("reference"), "--quiet");
        assertThat(finish(reference)).isZero();

        // Held after epoch 1 until Ctrl-C: the stop lands at the first batch of epoch 2, whatever the machine's load.
        Process run = startAt("1:hold", dir.resolve("stopped"));
        Thread err = LaunchedJvm.awaitSeam(run, dir.resolve("stopped.err"));
        new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();
        assertThat(finish(run)).isEqualTo(130);
        err.join();
        String out = Files.readString(dir.resolve("stopped.out"));
        assertThat(out).contains("interrupted after epoch 1; checkpoint " + dir.resolve("stopped/checkpoints/checkpoint-e0000001-b0000001.ckpt"),
                "resume with: ./backprop train", "--resume " + dir.resolve("stopped"));

        Process resumed = start(dir.resolve("stopped"), "--quiet", "--resume", dir.resolve("stopped").toString());
        assertThat(finish(resumed)).as(Files.readString(dir.resolve("stopped.err"))).isZero();
        assertThat(dir.resolve("stopped/model.json")).hasSameTextualContentAs(dir.resolve("reference/model.json"));
    }

    @Test
    void ctrlCAfterTheLastEpochLetsTheRunFinish() throws Exception {
        Process reference = start(dir.resolve("reference"), "--quiet");
        assertThat(finish(reference)).isZero();
        Process run = startAt("60:hold", dir.resolve("late"));
        Thread err = LaunchedJvm.awaitSeam(run, dir.resolve("late.err"));
        new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();
        assertThat(finish(run)).isZero();
        err.join();
        assertThat(Files.readString(dir.resolve("late.out"))).contains("trained 60 epochs").doesNotContain("interrupted");
        assertThat(dir.resolve("late/model.json")).hasSameTextualContentAs(dir.resolve("reference/model.json"));
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
