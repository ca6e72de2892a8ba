package dev.backprop.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.RunOptions;
import dev.backprop.core.experiment.RunResult;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.rundir.Checkpointer;
import dev.backprop.core.rundir.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Checkpoints of distributed runs: written by the driver, resumed from, and continued from after a lost executor. */
class SparkCheckpointTest {
    private static final Path SPIRALS = Path.of("src/test/resources/experiments/spirals.yaml");
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();
    private static final ExperimentRunner RUNNER = new ExperimentRunner(REGISTRY);
    private static final String CHECKPOINTS = "training.checkpoint={every: 1, keep: 10}";

    @TempDir
    Path dir;

    private RunResult run(String name, String... overrides) {
        return RUNNER.run(SPIRALS, List.of(overrides), new RunOptions(dir.resolve(name), dir, null, List.of()));
    }

    @Test
    void theDriverWritesCheckpointsAndAResumedRunEndsBitIdentically() throws IOException {
        RunResult full = run("full", CHECKPOINTS, "training.distributed.master=local[2]");
        assertThat(Checkpointer.list(dir.resolve("full/checkpoints"))).extracting(p -> p.getFileName().toString())
                .containsExactly("checkpoint-e0000001-b0000000.ckpt", "checkpoint-e0000002-b0000000.ckpt",
                        "checkpoint-e0000003-b0000000.ckpt", "checkpoint-e0000004-b0000000.ckpt");
        // the same format as a local run's: read and verified by the local reader
        assertThat(RunDirectory.newestCheckpoint(dir.resolve("full"), REGISTRY).state().epoch()).isEqualTo(4);
        assertThat(full.lastCheckpoint().getFileName().toString()).isEqualTo("checkpoint-e0000004-b0000000.ckpt");

        // A run that died after epoch 2: its directory with the first two checkpoints only.
        Path part = dir.resolve("part");
        Files.createDirectories(part.resolve("checkpoints"));
        Files.copy(dir.resolve("full/config.yaml"), part.resolve("config.yaml"));
        for (String epoch : List.of("1", "2")) {
            String name = "checkpoint-e000000" + epoch + "-b0000000.ckpt";
            Files.copy(dir.resolve("full/checkpoints").resolve(name), part.resolve("checkpoints").resolve(name),
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        RunResult resumed = RUNNER.run(SPIRALS, List.of(CHECKPOINTS, "training.distributed.master=local[2]"),
                RunOptions.defaults().resumeFrom(part));
        assertThat(resumed.runDirectory()).isEqualTo(part);
        assertThat(part.resolve("model.json")).hasSameTextualContentAs(dir.resolve("full/model.json"));
        assertThat(resumed.history().epochs()).hasSize(4);
        assertThat(withoutSeconds(part.resolve("metrics.csv"))).isEqualTo(withoutSeconds(dir.resolve("full/metrics.csv")));
        JsonNode report = new ObjectMapper().readTree(part.resolve("cluster.json").toFile());
        assertThat(report.get("per_worker").get(0).get("steps").asLong()).as("epochs 3 and 4, 9 steps each").isEqualTo(18);
        // Stopped on request once the first checkpoint is written: the driver holds the workers at that checkpoint
        // while it cancels the job, so the run stops exactly there, however slow the machine.
        Path stopped = dir.resolve("stopped");
        RunResult interrupted = RUNNER.run(SPIRALS, List.of(CHECKPOINTS, "training.distributed.master=local[2]"),
                RunOptions.builder().runDirectory(stopped).stopWhen(() -> !Checkpointer.list(stopped.resolve("checkpoints")).isEmpty())
                        .build());
        assertThat(interrupted.interrupted()).isTrue();
        assertThat(interrupted.lastCheckpoint().getFileName().toString()).isEqualTo("checkpoint-e0000001-b0000000.ckpt");
        assertThat(Checkpointer.list(stopped.resolve("checkpoints"))).hasSize(1);
        assertThat(stopped.resolve("config.yaml")).exists();
        assertThat(stopped.resolve("model.json")).doesNotExist();
        RunResult continued = RUNNER.run(SPIRALS, List.of(CHECKPOINTS, "training.distributed.master=local[2]"),
                RunOptions.defaults().resumeFrom(stopped));
        assertThat(continued.epochsBefore()).isEqualTo(1);
        assertThat(continued.epochsThisProcess()).isEqualTo(3);
        assertThat(stopped.resolve("model.json")).hasSameTextualContentAs(dir.resolve("full/model.json"));
    }

    @Test
    void checkpointsTheDriverWroteForAnotherRunAreRefusedNamingTheSettings() throws IOException {
        String master = "training.distributed.master=local[2]";
        run("mine", CHECKPOINTS, master);
        run("seed12", CHECKPOINTS, master, "seed=12");
        run("lr", CHECKPOINTS, master, "optimizer.learning-rate=0.02");
        for (String other : List.of("seed12", "lr")) {
            Path mine = dir.resolve("mine");
            for (Path old : Checkpointer.list(mine.resolve("checkpoints"))) {
                Files.delete(old);
            }
            for (Path file : Checkpointer.list(dir.resolve(other).resolve("checkpoints"))) {
                Files.copy(file, mine.resolve("checkpoints").resolve(file.getFileName()));
            }
            String expected = other.equals("lr") ? "trained under optimizer.learning-rate 0.02 but the run's config.yaml says "
                    + "optimizer.learning-rate 0.01" : "trained under seed 12 but the run's config.yaml says seed 11";
            assertThatThrownBy(() -> RUNNER.run(SPIRALS, List.of(CHECKPOINTS, master, "training.epochs=6"),
                    RunOptions.defaults().resumeFrom(mine)))
                    .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESUME_REFUSED))
                    .hasMessageContaining(expected);
            assertThat(mine.resolve("metrics.csv")).content().hasLineCount(5);
        }
    }

    @Test
    void aStopRequestedOnceTheLastCheckpointIsWrittenLetsTheRunFinish() {
        RunResult full = run("full", CHECKPOINTS, "training.distributed.master=local[2]");
        Path late = dir.resolve("late");
        RunResult finished = RUNNER.run(SPIRALS, List.of(CHECKPOINTS, "training.distributed.master=local[2]"),
                RunOptions.builder().runDirectory(late).stopWhen(() -> Checkpointer.list(late.resolve("checkpoints")).size() == 4)
                        .build());
        assertThat(finished.interrupted()).isFalse();
        assertThat(finished.history().epochs()).hasSize(4);
        assertThat(late.resolve("model.json")).hasSameTextualContentAs(dir.resolve("full/model.json"));
        assertThat(full.history().epochs()).hasSize(4);
    }

    @Test
    void anInterruptOfTheDriverAfterTheLastCheckpointEndsTheRunComplete() throws IOException {
        run("full", CHECKPOINTS, "training.distributed.master=local[2]");
        Path late = dir.resolve("late");
        Thread driver = Thread.currentThread();
        // Polled by the driver's thread while it waits for the job (and by the checkpoint relay): once the last
        // checkpoint is written, the driver's thread is interrupted, which cancels the job.
        RunResult finished;
        try {
            finished = RUNNER.run(SPIRALS, List.of(CHECKPOINTS, "training.distributed.master=local[2]"),
                    RunOptions.builder().runDirectory(late).stopWhen(() -> {
                        if (Thread.currentThread() == driver && Checkpointer.list(late.resolve("checkpoints")).size() == 4) {
                            driver.interrupt();
                        }
                        return false;
                    }).build());
        } finally {
            Thread.interrupted();
        }
        assertThat(finished.interrupted()).isFalse();
        assertThat(finished.history().epochs()).hasSize(4);
        assertThat(late.resolve("model.json")).hasSameTextualContentAs(dir.resolve("full/model.json"));
        assertThat(withoutSeconds(late.resolve("metrics.csv"))).isEqualTo(withoutSeconds(dir.resolve("full/metrics.csv")));
    }

    @Test
    void aDistributedRunKilledBetweenItsLastCheckpointAndModelJsonIsFinishedByItsResume() throws IOException {
        run("full", CHECKPOINTS, "training.distributed.master=local[2]");
        Path killed = dir.resolve("killed");
        Files.createDirectories(killed.resolve("checkpoints"));
        Files.copy(dir.resolve("full/config.yaml"), killed.resolve("config.yaml"));
        Files.copy(dir.resolve("full/checkpoints/checkpoint-e0000004-b0000000.ckpt"),
                killed.resolve("checkpoints/checkpoint-e0000004-b0000000.ckpt"));
        RunResult finished = RUNNER.run(SPIRALS, List.of(CHECKPOINTS, "training.distributed.master=local[2]"),
                RunOptions.defaults().resumeFrom(killed));
        assertThat(finished.interrupted()).isFalse();
        assertThat(finished.epochsThisProcess()).isZero();
        assertThat(finished.epochsBefore()).isEqualTo(4);
        assertThat(killed.resolve("model.json")).hasSameTextualContentAs(dir.resolve("full/model.json"));
        assertThat(withoutSeconds(killed.resolve("metrics.csv"))).isEqualTo(withoutSeconds(dir.resolve("full/metrics.csv")));
        assertThatThrownBy(() -> RUNNER.run(SPIRALS, List.of(CHECKPOINTS, "training.distributed.master=local[2]"),
                RunOptions.defaults().resumeFrom(killed))).hasMessageContaining("the run is complete");
    }

    /** The metrics but the last column, the epoch's seconds. */
    private static List<String> withoutSeconds(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().map(line -> line.substring(0, line.lastIndexOf(','))).toList();
    }

    @Test
    void aLostExecutorFailsTheStageAndTheRetryContinuesFromTheLastCheckpoint() throws IOException {
        SparkTrainingTest.prepareSparkHome();
        String halting = "network.layers[1].activation=halts-executor-1";
        RunResult reference = run("reference", halting, CHECKPOINTS, "training.distributed.master=local[2]");
        RunResult survived = assertTimeoutPreemptively(Duration.ofMinutes(15), () -> run("cluster", halting, CHECKPOINTS,
                "training.distributed.master=local-cluster[2,1,1024]", "training.distributed.partitions=2"));
        // the retried stage continued from the checkpoint of epoch 2: its workers made the steps of epochs 3 and 4 only
        JsonNode report = new ObjectMapper().readTree(dir.resolve("cluster/cluster.json").toFile());
        for (JsonNode worker : report.get("per_worker")) {
            assertThat(worker.get("steps").asLong()).isEqualTo(18);
        }
        // and ended exactly where an uninterrupted run ends
        assertThat(dir.resolve("cluster/model.json")).hasSameTextualContentAs(dir.resolve("reference/model.json"));
        assertThat(survived.history().epochs()).hasSize(4);
        try (Stream<Path> files = Files.list(dir.resolve("cluster/checkpoints"))) {
            assertThat(files.count()).isEqualTo(4);
        }
        assertThat(reference.history().epochs()).hasSize(4);
    }
}
