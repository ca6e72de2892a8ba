package dev.backprop.core.experiment;

import dev.backprop.core.rundir.CheckpointFile;
import dev.backprop.core.rundir.RunDirectory;
import dev.backprop.core.rundir.Checkpointer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.BackpropException;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory belongs to one run: refused when it holds another, replaced whole with overwrite,
 * locked against a second user, never followed through a planted link, cleaned of a killed process's
 * temporary files; a resume continues the same run or refuses, leaving every byte as it was.
 */
class RunDirectoryTest {
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();
    private static final String CONFIG = """
            name: rd
            seed: 3
            network:
              layers: [{dense: 6}, {activation: tanh}, {dense: 3}, {activation: softmax}]
            loss: cross-entropy
            optimizer: {name: adam, learning-rate: 0.02}
            training:
              epochs: 4
              batch-size: 16
              checkpoint: {every: 1, keep: 2}
            data:
              train: {synthetic: spirals, samples: 90}
              validation-split: 0.2
            """;
    private static final ExperimentRunner RUNNER = new ExperimentRunner(REGISTRY);

    @TempDir
    Path dir;

    private Path config() throws IOException {
        Path file = dir.resolve("rd.yaml");
        Files.writeString(file, CONFIG);
        return file;
    }

    private RunOptions into(String name) {
        return new RunOptions(dir.resolve(name), dir, null, List.of());
    }

    /** Every file under a folder with its SHA-256, to compare a directory byte for byte. */
    private static Map<String, String> snapshot(Path folder) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(p).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(p))));
            }
        }
        return files;
    }

    @Test
    void aFreshRunRefusesADirectoryHoldingAnotherRunAndOverwriteReplacesItWhole() throws Exception {
        RUNNER.run(config(), List.of(), into("run"));
        Map<String, String> before = snapshot(dir.resolve("run"));
        assertThatThrownBy(() -> RUNNER.run(config(), List.of("seed=4"), into("run")))
                .isInstanceOfSatisfying(BackpropException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RUN_DIRECTORY_NOT_EMPTY);
                    assertThat(e.code().isInputError()).isTrue();
                })
                .hasMessageContaining(dir.resolve("run").toString()).hasMessageContaining("--resume").hasMessageContaining("--overwrite");
        assertThat(snapshot(dir.resolve("run"))).isEqualTo(before);
        // Also when --out is a link to it.
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("run"));
        assertThatThrownBy(() -> RUNNER.run(config(), List.of(), new RunOptions(link, dir, null, List.of())))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUN_DIRECTORY_NOT_EMPTY));
        assertThat(snapshot(dir.resolve("run"))).isEqualTo(before);

        // Overwrite with fewer epochs and a different checkpoint cadence: nothing of the old run survives.
        RUNNER.run(config(), List.of("seed=4", "training.epochs=1"), into("run").overwriting());
        assertThat(Checkpointer.list(dir.resolve("run/checkpoints"))).extracting(p -> p.getFileName().toString())
                .containsExactly("checkpoint-e0000001-b0000000.ckpt");
        assertThat(dir.resolve("run/metrics.csv")).content().hasLineCount(2);
        assertThat(dir.resolve("run/config.yaml")).content().contains("seed: 4");
        assertThat(dir.resolve("run/" + RunDirectory.LOCK)).doesNotExist();
    }

    @Test
    void aRunKilledBeforeItsFirstFileLeavesNothingThatBlocksTheNextStart() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve(".config.yaml123456.tmp"), "name: half");
        Files.writeString(run.resolve(RunDirectory.LOCK), "pid 999999999 on host " + thisHost() + "\n");
        RUNNER.run(config(), List.of(), into("run"));
        assertThat(run.resolve(".config.yaml123456.tmp")).doesNotExist();
        assertThat(run.resolve("config.yaml")).exists();
        assertThat(run.resolve(RunDirectory.LOCK)).doesNotExist();
    }

    @Test
    void overwriteRefusesAFolderThatIsNotARun() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("thesis.tex"), "precious");
        assertThatThrownBy(() -> RUNNER.run(config(), List.of(), new RunOptions(home, dir, null, List.of()).overwriting()))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUN_DIRECTORY_NOT_EMPTY))
                .hasMessageContaining("thesis.tex").hasMessageContaining("nothing was removed");
        assertThat(home.resolve("thesis.tex")).hasContent("precious");
    }

    @Test
    void aSecondUserOfALockedDirectoryIsRefusedNamingTheOwner() throws Exception {
        try (RunDirectory first = RunDirectory.open(dir.resolve("locked"), RunDirectory.Mode.FRESH)) {
            assertThat(dir.resolve("locked/" + RunDirectory.LOCK)).content().contains("pid " + ProcessHandle.current().pid());
            assertThatThrownBy(() -> RunDirectory.open(dir.resolve("locked"), RunDirectory.Mode.FRESH))
                    .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUN_DIRECTORY_IN_USE))
                    .hasMessageContaining("is in use by another run (pid " + ProcessHandle.current().pid() + " on host ");
        }
        // Released: the next run takes it, and a lock file left by a dead process of this host counts as stale.
        Files.writeString(dir.resolve("locked/" + RunDirectory.LOCK), "pid 999999999 on host " + thisHost() + "\n");
        try (RunDirectory again = RunDirectory.open(dir.resolve("locked"), RunDirectory.Mode.FRESH)) {
            assertThat(dir.resolve("locked/" + RunDirectory.LOCK)).content().contains("pid " + ProcessHandle.current().pid());
        }
        assertThat(dir.resolve("locked/" + RunDirectory.LOCK)).doesNotExist();
    }

    private static String thisHost() throws IOException {
        return java.net.InetAddress.getLocalHost().getHostName();
    }

    @Test
    void aLockNamingAnotherHostIsRefusedNamingHostAndPidUntilItIsBrokenDeliberately() throws Exception {
        RUNNER.run(config(), List.of("training.epochs=1"), into("run"));
        Path lock = Files.writeString(dir.resolve("run/" + RunDirectory.LOCK), "pid 4121 on host lab-3.example\n");
        Map<String, String> before = snapshot(dir.resolve("run"));
        // A resume, an overwrite and a sweep's folder alike: nothing is taken over, nothing changes.
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> users = List.of(
                () -> RUNNER.run(config(), List.of("training.epochs=2"), into("run").resumeFrom(dir.resolve("run"))),
                () -> RUNNER.run(config(), List.of(), into("run").overwriting()),
                () -> RunDirectory.open(dir.resolve("run"), RunDirectory.Mode.FRESH));
        for (var user : users) {
            assertThatThrownBy(user)
                    .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUN_DIRECTORY_IN_USE))
                    .hasMessageContaining(dir.resolve("run").toString())
                    .hasMessageContaining("pid 4121 on host lab-3.example, another host")
                    .hasMessageContaining("--break-lock");
            assertThat(snapshot(dir.resolve("run"))).isEqualTo(before);
        }
        // A lock whose owner cannot be read is not guessed to be stale either.
        Files.writeString(lock, "locked by someone\n");
        assertThatThrownBy(() -> RunDirectory.open(dir.resolve("run"), RunDirectory.Mode.RESUME))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUN_DIRECTORY_IN_USE))
                .hasMessageContaining("an owner this SDK cannot read ('locked by someone')");

        // Broken deliberately, the resume runs and the lock is this process's while it does.
        Files.writeString(lock, "pid 4121 on host lab-3.example\n");
        RunResult resumed = RUNNER.run(config(), List.of("training.epochs=2"), RunOptions.builder().resumeFrom(dir.resolve("run"))
                .breakLock().listener(new dev.backprop.api.TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochMetrics metrics) {
                        assertThat(lock).content().contains("pid " + ProcessHandle.current().pid() + " on host " + thisHostUnchecked());
                    }
                }).build());
        assertThat(resumed.history().epochs()).hasSize(2);
        assertThat(lock).doesNotExist();
    }

    private static String thisHostUnchecked() {
        try {
            return thisHost();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aPlantedSymbolicLinkIsNeverFollowed() throws Exception {
        RUNNER.run(config(), List.of(), into("run"));
        Path victim = Files.writeString(dir.resolve("victim.txt"), "untouched");
        Files.delete(dir.resolve("run/run.log"));
        Files.createSymbolicLink(dir.resolve("run/run.log"), victim);
        assertThatThrownBy(() -> RUNNER.run(config(), List.of("training.epochs=6"), into("run").resumeFrom(dir.resolve("run"))))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUN_DIRECTORY_NOT_EMPTY))
                .hasMessageContaining("run.log is a symbolic link");
        assertThat(victim).hasContent("untouched");
        // --overwrite neither follows nor removes it, at the top or in checkpoints/: refused, nothing changed.
        Map<String, String> before = snapshot(dir.resolve("run"));
        assertThatThrownBy(() -> RUNNER.run(config(), List.of(), into("run").overwriting()))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUN_DIRECTORY_NOT_EMPTY))
                .hasMessageContaining("run.log is a symbolic link (to " + victim + ")").hasMessageContaining("nothing was changed");
        assertThat(victim).hasContent("untouched");
        assertThat(Files.isSymbolicLink(dir.resolve("run/run.log"))).isTrue();
        assertThat(snapshot(dir.resolve("run"))).isEqualTo(before);
        Files.delete(dir.resolve("run/run.log"));
        Path deep = Files.createSymbolicLink(dir.resolve("run/checkpoints/checkpoint-e0000009-b0000000.ckpt"), victim);
        assertThatThrownBy(() -> RUNNER.run(config(), List.of(), into("run").overwriting()))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUN_DIRECTORY_NOT_EMPTY))
                .hasMessageContaining("checkpoints/checkpoint-e0000009-b0000000.ckpt is a symbolic link");
        assertThat(Files.isSymbolicLink(deep)).isTrue();
        assertThat(victim).hasContent("untouched");
        assertThat(dir.resolve("run/model.json")).exists();
    }

    @Test
    void aNewRunsDirectoryThatIsASymbolicLinkIsRefusedNamingItsTarget() throws Exception {
        Path target = Files.createDirectories(dir.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        for (RunOptions options : List.of(new RunOptions(link, dir, null, List.of()), new RunOptions(link, dir, null, List.of()).overwriting())) {
            assertThatThrownBy(() -> RUNNER.run(config(), List.of(), options))
                    .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUN_DIRECTORY_NOT_EMPTY))
                    .hasMessageContaining(link + ": is a symbolic link (to " + target + ")");
        }
        try (Stream<Path> left = Files.list(target)) {
            assertThat(left).isEmpty();
        }
        // Given the folder itself, the run goes there.
        RUNNER.run(config(), List.of("training.epochs=1"), new RunOptions(target, dir, null, List.of()));
        assertThat(target.resolve("model.json")).exists();
    }

    @Test
    void temporaryFilesOfAKilledProcessAreRemovedWhenTheRunResumes() throws Exception {
        RUNNER.run(config(), List.of(), into("run"));
        Path staleModel = Files.writeString(dir.resolve("run/.model.json1234567.tmp"), "{half a mod");
        Path staleCurve = Files.writeString(dir.resolve("run/.curves.png998877.png"), "PNG?");
        Path staleCheckpoint = Files.writeString(dir.resolve("run/checkpoints/.checkpoint-e0000005-b0000000.ckpt42.tmp"), "x");
        RUNNER.run(config(), List.of("training.epochs=5"), into("run").resumeFrom(dir.resolve("run")));
        assertThat(staleModel).doesNotExist();
        assertThat(staleCurve).doesNotExist();
        assertThat(staleCheckpoint).doesNotExist();
        assertThat(dir.resolve("run/metrics.csv")).content().hasLineCount(6);
    }

    @Test
    void aResumeWithAnotherConfigurationIsRefusedListingTheKeysAndWritesNothing() throws Exception {
        RUNNER.run(config(), List.of(), into("run"));
        Map<String, String> before = snapshot(dir.resolve("run"));
        assertThatThrownBy(() -> RUNNER.run(config(), List.of("optimizer.learning-rate=0.5", "training.batch-size=8",
                "training.epochs=9"), into("run").resumeFrom(dir.resolve("run"))))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESUME_REFUSED))
                .hasMessageContaining("differs from the run's config.yaml in 2 keys")
                .hasMessageContaining("optimizer.learning-rate (the run: 0.02, now: 0.5)")
                .hasMessageContaining("training.batch-size (the run: 16, now: 8)")
                .hasMessageNotContaining("training.epochs (");
        assertThat(snapshot(dir.resolve("run"))).isEqualTo(before);

        // The same run with more epochs is accepted, after the failed attempt.
        RunResult resumed = RUNNER.run(config(), List.of("training.epochs=6"), into("run").resumeFrom(dir.resolve("run")));
        assertThat(resumed.history().epochs()).hasSize(6);
        assertThat(dir.resolve("run/metrics.jsonl")).content().hasLineCount(6);
    }

    /** Rewrites the newest checkpoint with a valid checksum but a changed state. */
    private Path forge(Path run, UnaryOperator<TrainingState> change) {
        Path newest = Checkpointer.list(run.resolve("checkpoints")).get(1);
        CheckpointFile.Checkpoint checkpoint = CheckpointFile.read(newest, REGISTRY);
        CheckpointFile.write(newest, checkpoint.model(), change.apply(checkpoint.state()), checkpoint.trainedUnder());
        return newest;
    }

    private static TrainingState with(TrainingState s, int epoch, int batch, long correct, List<double[]> weights,
            Map<String, double[]> optimizer, List<EpochMetrics> history) {
        return new TrainingState(epoch, batch, s.partialLoss(), correct, weights, optimizer, history, s.bestValue(), s.bestEpoch(),
                s.epochsWithoutImprovement(), s.bestWeights());
    }

    @Test
    void aCheckpointWithAMatchingChecksumIsStillRangeCheckedAndAFailedResumeChangesNothing() throws Exception {
        RUNNER.run(config(), List.of(), into("run"));
        Path run = dir.resolve("run");
        List<UnaryOperator<TrainingState>> forgeries = List.of(
                s -> with(s, Integer.MAX_VALUE, 0, 0, s.weights(), s.optimizerState(), s.history()),
                s -> with(s, 2, 9999, 0, s.weights(), s.optimizerState(), s.history().subList(0, 2)),
                s -> with(s, 2, 1, 1_000_000, s.weights(), s.optimizerState(), s.history().subList(0, 2)),
                s -> with(s, 2, 0, 0, s.weights(), s.optimizerState(), s.history()),
                s -> with(s, 2, 0, 0, s.weights().subList(0, 1), s.optimizerState(), s.history().subList(0, 2)),
                s -> {
                    Map<String, double[]> noSteps = new LinkedHashMap<>(s.optimizerState());
                    noSteps.remove("steps");
                    return with(s, 2, 0, 0, s.weights(), noSteps, s.history().subList(0, 2));
                },
                // Five epochs with five rows of history, in a run that never planned more than four: damaged.
                s -> {
                    List<EpochMetrics> history = new java.util.ArrayList<>(s.history());
                    EpochMetrics last = history.get(3);
                    history.add(new EpochMetrics(5, last.trainLoss(), last.validationLoss(), last.trainAccuracy(),
                            last.validationAccuracy(), last.seconds(), last.examples()));
                    return with(s, 5, 0, 0, s.weights(), s.optimizerState(), history);
                });
        List<String> expected = List.of("state.epoch: 2147483647 epochs trained, but the run's config.yaml plans 4", "state.batch: out of range", "state.partial-correct: out of range",
                "state.history: out of range", "state.weights: out of range", "the optimizer 'adam' refused the saved state",
                "state.epoch: 5 epochs trained, but the run's config.yaml plans 4");
        for (int i = 0; i < forgeries.size(); i++) {
            RUNNER.run(config(), List.of(), into("run").overwriting());
            Path forged = forge(run, forgeries.get(i));
            Map<String, String> before = snapshot(run);
            String message = expected.get(i);
            assertThatThrownBy(() -> RUNNER.run(config(), List.of("training.epochs=8"), into("run").resumeFrom(run)))
                    .as(message)
                    .isInstanceOf(BackpropException.class)
                    .hasMessageContaining(forged.toString())
                    .hasMessageContaining(message)
                    .hasMessageStartingWith(i == 0 || i == forgeries.size() - 1 ? "[BP-502]" : "[BP-50");
            assertThat(snapshot(run)).as(message).isEqualTo(before);
        }
    }

    @Test
    void checkpointNamesSortAndPruneByNumberForEveryEpoch() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("checkpoints"));
        for (String name : List.of("checkpoint-e2147483646-b0000000.ckpt", "checkpoint-e0000005-b0000000.ckpt",
                "checkpoint-e0000005-b0000012.ckpt", "checkpoint-e10000000-b0000000.ckpt", "checkpoint-e99999999999999999999-b0.ckpt")) {
            Files.writeString(folder.resolve(name), "");
        }
        assertThat(Checkpointer.list(folder)).extracting(p -> p.getFileName().toString()).containsExactly(
                "checkpoint-e0000005-b0000000.ckpt", "checkpoint-e0000005-b0000012.ckpt", "checkpoint-e10000000-b0000000.ckpt",
                "checkpoint-e2147483646-b0000000.ckpt");
    }

    @Test
    void metricsFilesAreWrittenBothOrNeither() throws Exception {
        Path csv = Files.writeString(dir.resolve("metrics.csv"), "old csv\n");
        Path elsewhere = dir.resolve("no-such-folder/metrics.jsonl");
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(csv, "new csv\n");
        files.put(elsewhere, "new jsonl\n");
        assertThatThrownBy(() -> RunDirectory.writeTogether(files))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OUTPUT_FAILED))
                .hasMessageContaining("no such file or directory").hasMessageContaining("keep their previous content");
        assertThat(csv).hasContent("old csv");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly("metrics.csv");
        }
    }

    @Test
    void theOperatingSystemsReasonReachesTheUser() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "");
        assertThatThrownBy(() -> RUNNER.run(config(), List.of(), new RunOptions(file.resolve("run"), dir, null, List.of())))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OUTPUT_FAILED))
                .hasMessageContaining("not a directory");
    }
}
