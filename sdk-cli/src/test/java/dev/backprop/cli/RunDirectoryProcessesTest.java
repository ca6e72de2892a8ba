package dev.backprop.cli;

import static dev.backprop.cli.InProcessCli.run;

import dev.backprop.cli.InProcessCli.Run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run directories and the commands around them, with real processes where processes matter: two runs on
 * one {@code --out}, a run killed with SIGKILL, a resume after a refused resume; and the commands' errors
 * and exit codes as a user meets them.
 */
class RunDirectoryProcessesTest {
    private static final String CONFIG = """
            name: proc
            seed: 5
            network:
              layers: [{dense: 32}, {activation: relu}, {dense: 10}, {activation: softmax}]
            loss: cross-entropy
            optimizer: {name: sgd, learning-rate: 0.02, momentum: 0.9}
            training:
              epochs: 40
              batch-size: 8
              checkpoint: {every: 1, keep: 2}
            data:
              train: {csv: %s, label: digit}
              validation-split: 0.2
              normalize: min-max
            """;

    @TempDir
    Path dir;

    private Path config() throws IOException {
        Path file = dir.resolve("proc.yaml");
        Files.writeString(file, CONFIG.formatted(Path.of("..", "config", "data", "digits.csv").toAbsolutePath()));
        return file;
    }

    private Process start(String name, String... args) throws IOException {
        return LaunchedJvm.start(dir, null, dir.resolve(name + ".out"), dir.resolve(name + ".err"), List.of(args));
    }

    /** Starts a run that stops at an exact epoch through the CLI's test seam ({@code N:halt} or {@code N:hold}). */
    private Process startAt(String seam, String name, String... args) throws IOException {
        return LaunchedJvm.start(dir, seam, dir.resolve(name + ".out"), dir.resolve(name + ".err"), List.of(args));
    }

    /** A hang detector only: a correct run ends long before it, even on a machine at load 10. */
    private static int finish(Process process) throws InterruptedException {
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the run did not finish");
        }
        return process.exitValue();
    }

    private static Map<String, String> snapshot(Path folder) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(folder)) {
            // The lock file is not part of the run: a refused process takes and releases it like any other.
            for (Path p : all.filter(Files::isRegularFile).filter(p -> !p.endsWith(".backprop.lock")).toList()) {
                files.put(folder.relativize(p).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(p))));
            }
        }
        return files;
    }

    @Test
    void twoRunsOnOneDirectoryAtOnceOneIsRefusedNamingTheOwner() throws Exception {
        Path out = dir.resolve("shared");
        // The first run holds after epoch 1 (its lock taken, its checkpoint written) until it is stopped with Ctrl-C.
        Process first = startAt("1:hold", "first", "train", config().toString(), "--out", out.toString(), "--quiet");
        Thread firstErr = LaunchedJvm.awaitSeam(first, dir.resolve("first.err"));
        Process second = start("second", "train", config().toString(), "--set", "seed=6", "--out", out.toString(), "--quiet");
        assertThat(finish(second)).isEqualTo(2);
        String refusal = Files.readString(dir.resolve("second.err"));
        assertThat(refusal).contains("[BP-504]", out.toString(), "is in use by another run (pid " + first.pid() + " on host ");
        assertThat(first.isAlive()).isTrue();
        new ProcessBuilder("kill", "-INT", Long.toString(first.pid())).start().waitFor();
        int code = finish(first);
        firstErr.join();
        assertThat(code).as(Files.readString(dir.resolve("first.err"))).isEqualTo(130);
        // stopped at the first batch after the hold: exactly there
        assertThat(Files.readString(dir.resolve("first.out"))).contains("checkpoint-e0000001-b0000001.ckpt");
        // The directory holds the first run only: its seed, and no lock left behind.
        assertThat(out.resolve("config.yaml")).content().contains("seed: 5").doesNotContain("seed: 6");
        assertThat(out.resolve(".backprop.lock")).doesNotExist();
    }

    @Test
    void aRunKilledWhileWritingLeavesAStaleLockThatTheResumeRecognisesAndAFailedResumeChangesNothing() throws Exception {
        Path out = dir.resolve("killed");
        Process reference = start("reference", "train", config().toString(), "--out", dir.resolve("reference").toString(), "--quiet");
        // Halted (as by SIGKILL: no shutdown hook runs) right after the checkpoint of epoch 3.
        Process killed = startAt("3:halt", "killed", "train", config().toString(), "--out", out.toString(), "--quiet");
        assertThat(finish(killed)).isEqualTo(137);
        try (Stream<Path> checkpoints = Files.list(out.resolve("checkpoints"))) {
            assertThat(checkpoints.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("checkpoint-e0000002-b0000000.ckpt", "checkpoint-e0000003-b0000000.ckpt");
        }
        assertThat(finish(reference)).isZero();
        assertThat(out.resolve(".backprop.lock")).as("the killed process could not remove its lock").exists();
        // As a process killed inside a write leaves them:
        Files.writeString(out.resolve(".model.json8765.tmp"), "{\"format\": \"backprop-mo");
        Files.writeString(out.resolve(".curves.png4321.png"), "\u0089PN");

        // A resume that differs from the run in its learning rate is refused; the directory is as it was.
        Map<String, String> before = snapshot(out);
        Process wrong = start("wrong", "train", config().toString(), "--set", "optimizer.learning-rate=0.5", "--resume", out.toString());
        assertThat(finish(wrong)).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("wrong.err"))).contains("[BP-506]",
                "optimizer.learning-rate (the run: 0.02, now: 0.5)", "Nothing was written.");
        assertThat(snapshot(out)).isEqualTo(before);

        // The right resume then takes over the stale lock, removes the temporary files and ends as the reference did.
        Process resumed = start("resumed", "train", config().toString(), "--resume", out.toString(), "--quiet");
        assertThat(finish(resumed)).as(Files.readString(dir.resolve("resumed.err"))).isZero();
        assertThat(out.resolve("model.json")).hasSameTextualContentAs(dir.resolve("reference/model.json"));
        assertThat(out.resolve(".model.json8765.tmp")).doesNotExist();
        assertThat(out.resolve(".curves.png4321.png")).doesNotExist();
        assertThat(out.resolve(".backprop.lock")).doesNotExist();
        assertThat(out.resolve("metrics.csv")).content().hasLineCount(41);
        assertThat(out.resolve("metrics.jsonl")).content().hasLineCount(40);
    }

    @Test
    void theCtrlCHintContinuesTheSameRunWithItsOverrides() throws Exception {
        Path out = dir.resolve("stopped");
        Process run = startAt("1:hold", "stopped", "train", config().toString(), "--set", "training.epochs=60", "--set",
                "optimizer.learning-rate=0.01", "--out", out.toString());
        Thread err = LaunchedJvm.awaitSeam(run, dir.resolve("stopped.err"));
        new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();
        assertThat(finish(run)).isEqualTo(130);
        err.join();
        String hint = Files.readString(dir.resolve("stopped.out")).lines().filter(l -> l.startsWith("resume with: "))
                .findFirst().orElseThrow().substring("resume with: ./backprop ".length());
        assertThat(hint).isEqualTo("train " + config() + " --set training.epochs=60 --set optimizer.learning-rate=0.01 --resume " + out);
        Process resumed = start("resumed", hint.split(" "));
        assertThat(finish(resumed)).as(Files.readString(dir.resolve("resumed.err"))).isZero();
        assertThat(Files.readString(dir.resolve("resumed.out"))).contains("trained 59 epochs in this process (2-60)",
                "60 of 60 in the run");
        assertThat(out.resolve("metrics.csv")).content().hasLineCount(61);
    }

    @Test
    void aPictureThatCannotBeDrawnDoesNotUndoASavedRun() throws Exception {
        Path out = dir.resolve("pictures");
        Path config = Path.of("..", "config", "iris.yaml");
        Files.writeString(dir.resolve("iris.yaml"), Files.readString(config)
                .replace("data/iris.csv", Path.of("..", "config", "data", "iris.csv").toAbsolutePath().toString())
                .replace("training: {epochs: 100, batch-size: 8}", "training: {epochs: 4, batch-size: 8, checkpoint: {every: 2}}"));
        assertThat(run("train", dir.resolve("iris.yaml").toString(), "--set", "training.epochs=2", "--out", out.toString(), "--quiet")
                .code()).isZero();
        // curves.png replaced by a folder with something in it: the picture cannot be moved into place.
        Files.delete(out.resolve("curves.png"));
        Files.createDirectories(out.resolve("curves.png/x"));
        Run resumed = run("train", dir.resolve("iris.yaml").toString(), "--resume", out.toString(), "--quiet");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("warning: " + out.resolve("curves.png") + " was not drawn");
        assertThat(resumed.out()).contains("trained 2 epochs in this process (3-4)", "4 of 4 in the run", "run directory: " + out);
        assertThat(out.resolve("model.json")).exists();
    }

    @Test
    void predictAndEvaluateAgreeOnInputsAndRefuseNonFiniteOutputs() throws Exception {
        Path model = Files.writeString(dir.resolve("model.json"), """
                {"format": "backprop-model", "version": 1, "inputs": 1,
                 "layers": [{"type": "dense", "inputs": 1, "outputs": 2, "weights": [[1e300], [1]], "bias": [0, 0]},
                            {"type": "activation", "name": "softmax", "parameters": {}}],
                 "loss": "cross-entropy", "normalization": null, "features": ["x"], "targets": ["a", "b"],
                 "classes": ["a", "b"], "label": "class"}
                """);
        Run fine = run("predict", "--model", model.toString(), "--input", "-1e-300");
        assertThat(fine.code()).as(fine.err()).isZero();
        Run infinite = run("predict", "--model", model.toString(), "--input", "1e10");
        assertThat(infinite.code()).isEqualTo(2);
        assertThat(infinite.err()).contains("[BP-301]", "--input '1e10': the model's outputs are not finite");
        assertThat(infinite.out()).isEmpty();
        Path data = Files.writeString(dir.resolve("data.csv"), "x,class\n0.5,a\n1e10,b\n");
        Run evaluate = run("evaluate", "--model", model.toString(), "--data", data.toString());
        assertThat(evaluate.code()).isEqualTo(2);
        assertThat(evaluate.err()).contains("[BP-301]", "data.csv, data row 2: the model's outputs are not finite");
        Run file = run("predict", "--model", model.toString(), "--input-file", data.toString());
        assertThat(file.code()).isEqualTo(2);
        assertThat(file.err()).contains("data.csv, data row 2: the model's outputs are not finite");
        for (String notPlain : List.of("5.1d", "0x1.6p0", "1,", "NaN")) {
            Run refused = run("predict", "--model", model.toString(), "--input", notPlain);
            assertThat(refused.code()).as(notPlain).isEqualTo(2);
            assertThat(refused.err()).as(notPlain).startsWith("error: [BP-");
        }
    }

    @Test
    void endlessInputsAreRefusedByEveryCommand() throws Exception {
        Path zero = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(zero));
        Path model = dir.resolve("m");
        assertThat(run("train", Path.of("..", "config", "iris.yaml").toString(), "--set", "training.epochs=1", "--out",
                model.toString(), "--quiet").code()).isZero();
        long start = System.nanoTime();
        for (String[] args : List.of(new String[] {"predict", "--model", "/dev/zero", "--input", "1,2,3,4"},
                new String[] {"predict", "--model", model.resolve("model.json").toString(), "--input-file", "/dev/zero"},
                new String[] {"evaluate", "--model", model.resolve("model.json").toString(), "--data", "/dev/zero"},
                new String[] {"validate", "/dev/zero"})) {
            Run refused = run(args);
            assertThat(refused.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(refused.err()).as(String.join(" ", args)).startsWith("error: [BP-").contains("/dev/zero");
        }
        // a hang detector only (an unbounded read never ends): generous enough for a machine at load 10
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MINUTES.toNanos(5));
    }

    @Test
    void aSweepWithAFailingTrialFinishesTheOthersAndItsExitCodeCountsTheFailures() throws Exception {
        Files.writeString(dir.resolve("base.yaml"), """
                network:
                  layers: [{dense: 4}, {dense: 1}]
                optimizer: {name: sgd, learning-rate: 0.001}
                training: {epochs: 30, batch-size: 2, shuffle: false, schedule: {name: exponential, gamma: 0.9}}
                data:
                  train: {inline: {inputs: [[1, 2], [3, -1], [0.5, 0.5], [2, 2]], targets: [[10], [-4], [2], [7]]}}
                """);
        Path sweep = Files.writeString(dir.resolve("s.yaml"), "base: base.yaml\ngrid: {training.schedule.gamma: [40, 0.9, 50]}\n"
                + "metric: train-loss\n");
        Run run = run("sweep", sweep.toString(), "--out", dir.resolve("s").toString(), "--parallel", "2");
        assertThat(run.code()).isEqualTo(102);
        assertThat(run.out()).contains("trial-0001  diverged", "trial-0002  train-loss = ", "best: trial-0002",
                "2 of 3 trials did not finish");
        Path noValidation = Files.writeString(dir.resolve("v.yaml"), "base: base.yaml\ngrid: {seed: [1, 2]}\n");
        Run refused = run("sweep", noValidation.toString(), "--out", dir.resolve("v").toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("[BP-401]", "metric: 'validation-loss' is never measured");
        assertThat(dir.resolve("v")).doesNotExist();
    }

    @Test
    void everyCommandsErrorsCarryACodeAndTheOperatingSystemsReason() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "");
        Run train = run("train", Path.of("..", "config", "xor.yaml").toString(), "--out", notADirectory.resolve("run").toString());
        assertThat(train.code()).isEqualTo(1);
        assertThat(train.err()).contains("[BP-503]", "not a directory");
        Run evaluate = run("evaluate", "--model", dir.toString(), "--data", dir.toString());
        assertThat(evaluate.code()).isEqualTo(2);
        assertThat(evaluate.err()).startsWith("error: [BP-501] " + dir + ": could not be read: is a directory");
        Run overwriteAndResume = run("train", "x.yaml", "--overwrite", "--resume", dir.toString());
        assertThat(overwriteAndResume.code()).isEqualTo(2);
        assertThat(overwriteAndResume.err()).startsWith("error: [BP-402] --overwrite and --resume exclude each other")
                .contains("(see: backprop train --help)");
        Run unknown = run("train", "x.yaml", "--overwirte");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("error: [" + dev.backprop.api.ErrorCode.ARGUMENT_INVALID.id() + "] Unknown option: "
                + "'--overwirte'").contains("--overwrite");
        Run tolerance = run("gradcheck", Path.of("..", "config", "xor.yaml").toString(), "--tolerance", "NaN");
        assertThat(tolerance.code()).isEqualTo(2);
        assertThat(tolerance.err()).contains("--tolerance must be a finite number > 0, got NaN");
    }

    @Test
    void anUnforeseenFailureIsOneLineWithACode() {
        StringWriter err = new StringWriter();
        int code = Main.report(new IllegalStateException("a bug"), false, new PrintWriter(err));
        assertThat(code).isEqualTo(Main.RUN_FAILED);
        assertThat(err.toString()).startsWith("error: [" + dev.backprop.api.ErrorCode.INTERNAL_FAILED.id()
                + "] internal error: java.lang.IllegalStateException: a bug; please report it").hasLineCount(2);
        StringWriter overflow = new StringWriter();
        Main.report(new StackOverflowError(), false, new PrintWriter(overflow));
        assertThat(overflow.toString()).contains("StackOverflowError (a recursion without end)").hasLineCount(2);
    }

    @Test
    void theResumeHintQuotesWhatTheShellWouldSplit() {
        assertThat(TrainCommand.quote("config/iris.yaml")).isEqualTo("config/iris.yaml");
        assertThat(TrainCommand.quote("training.epochs=60")).isEqualTo("training.epochs=60");
        assertThat(TrainCommand.quote("my runs/iris.yaml")).isEqualTo("'my runs/iris.yaml'");
        assertThat(TrainCommand.quote("optimizer={name: adam}")).isEqualTo("'optimizer={name: adam}'");
        assertThat(TrainCommand.quote("it's")).isEqualTo("'it'\\''s'");
    }
}
