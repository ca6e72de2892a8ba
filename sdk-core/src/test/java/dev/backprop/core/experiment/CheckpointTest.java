package dev.backprop.core.experiment;

import dev.backprop.core.rundir.RunDirectory;
import dev.backprop.core.rundir.Checkpointer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints in the run directory: written as the run goes, verified on load, resumed from. */
class CheckpointTest {
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();
    private static final String CONFIG = """
            name: ckpt
            seed: 4
            network:
              layers: [{dense: 8}, {activation: tanh}, {dropout: 0.2}, {dense: 3}, {activation: softmax}]
            loss: cross-entropy
            optimizer: {name: adam, learning-rate: 0.02}
            training:
              epochs: 6
              batch-size: 16
              schedule: {name: exponential, gamma: 0.9}
              weight-decay: 0.0001
              checkpoint: {every: 2, keep: 2}
            data:
              train: {synthetic: spirals, samples: 120}
              validation-split: 0.25
            """;

    @TempDir
    Path dir;

    private Path config() throws IOException {
        Path file = dir.resolve("ckpt.yaml");
        Files.writeString(file, CONFIG);
        return file;
    }

    @Test
    void checkpointsAreWrittenKeptAndResumedFromExactly() throws IOException {
        ExperimentRunner runner = new ExperimentRunner(REGISTRY);
        RunResult full = runner.run(config(), List.of(), new RunOptions(dir.resolve("full"), dir, null, List.of()));
        List<Path> kept = Checkpointer.list(dir.resolve("full/checkpoints"));
        assertThat(kept).extracting(p -> p.getFileName().toString())
                .containsExactly("checkpoint-e0000004-b0000000.ckpt", "checkpoint-e0000006-b0000000.ckpt");
        assertThat(dir.resolve("full/metrics.jsonl")).content().hasLineCount(6).contains("\"epoch\":6", "\"validation_loss\":");

        // Stop part-way through epoch 4, then continue in the same directory.
        int[] batches = {0};
        RunOptions stopping = new RunOptions(dir.resolve("part"), dir, null, List.of(new dev.backprop.api.TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, double loss) {
                batches[0]++;
            }
        })).stopWhen(() -> batches[0] >= 20);
        RunResult partial = runner.run(config(), List.of(), stopping);
        assertThat(partial.interrupted()).isTrue();
        assertThat(partial.lastCheckpoint().getFileName().toString()).isEqualTo("checkpoint-e0000003-b0000002.ckpt");
        assertThat(dir.resolve("part/model.json")).doesNotExist();
        assertThat(Files.readAllLines(dir.resolve("part/metrics.csv"))).hasSize(4);

        RunResult resumed = runner.run(config(), List.of(), RunOptions.defaults().resumeFrom(dir.resolve("part")));
        assertThat(resumed.runDirectory()).isEqualTo(dir.resolve("part"));
        assertThat(dir.resolve("part/model.json")).hasSameTextualContentAs(dir.resolve("full/model.json"));
        assertThat(dir.resolve("part/metrics.csv")).content().hasLineCount(7);
    }

    @Test
    void aRunKilledBetweenItsLastCheckpointAndModelJsonIsFinishedByItsResume() throws IOException {
        ExperimentRunner runner = new ExperimentRunner(REGISTRY);
        runner.run(config(), List.of(), new RunOptions(dir.resolve("full"), dir, null, List.of()));
        // What a process killed right after writing the checkpoint of its last epoch leaves: no model.json.
        Path killed = dir.resolve("killed");
        Files.createDirectories(killed.resolve("checkpoints"));
        Files.copy(dir.resolve("full/config.yaml"), killed.resolve("config.yaml"));
        Files.copy(dir.resolve("full/metrics.csv"), killed.resolve("metrics.csv"));
        Files.copy(dir.resolve("full/checkpoints/checkpoint-e0000006-b0000000.ckpt"),
                killed.resolve("checkpoints/checkpoint-e0000006-b0000000.ckpt"));

        RunResult finished = runner.run(config(), List.of(), RunOptions.defaults().resumeFrom(killed));
        assertThat(finished.interrupted()).isFalse();
        assertThat(finished.epochsThisProcess()).isZero();
        assertThat(finished.epochsBefore()).isEqualTo(6);
        assertThat(finished.plannedEpochs()).isEqualTo(6);
        assertThat(finished.history().epochs()).hasSize(6);
        assertThat(finished.train()).isNotNull();
        assertThat(finished.validation()).isNotNull();
        assertThat(killed.resolve("model.json")).hasSameTextualContentAs(dir.resolve("full/model.json"));
        assertThat(killed.resolve("metrics.csv")).hasSameTextualContentAs(dir.resolve("full/metrics.csv"));

        // Now the run is complete: a second resume is refused, saying so.
        assertThatThrownBy(() -> runner.run(config(), List.of(), RunOptions.defaults().resumeFrom(killed)))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESUME_REFUSED))
                .hasMessageContaining("the run is complete").hasMessageContaining("trained 6 of its 6 epochs")
                .hasMessageContaining("--set training.epochs=12");
        // A model.json that is not the checkpoint's model (damaged, or from elsewhere) does not make the run complete.
        Files.writeString(killed.resolve("model.json"), "{}");
        runner.run(config(), List.of(), RunOptions.defaults().resumeFrom(killed));
        assertThat(killed.resolve("model.json")).hasSameTextualContentAs(dir.resolve("full/model.json"));
    }

    @Test
    void aRunKilledAfterEarlyStoppingEndedItIsFinishedWithoutTrainingOn() throws IOException {
        Path file = dir.resolve("early.yaml");
        Files.writeString(file, CONFIG.replace("epochs: 6", "epochs: 60\n  early-stopping: {monitor: validation-loss, patience: 2}")
                .replace("checkpoint: {every: 2, keep: 2}", "checkpoint: {every: 1, keep: 100}")
                .replace("learning-rate: 0.02", "learning-rate: 0.3"));
        ExperimentRunner runner = new ExperimentRunner(REGISTRY);
        RunResult full = runner.run(file, List.of(), new RunOptions(dir.resolve("full"), dir, null, List.of()));
        assertThat(full.history().stoppedEarly()).as("the configuration stops early").isTrue();
        int last = full.history().epochs().size();
        Path killed = dir.resolve("killed");
        Files.createDirectories(killed.resolve("checkpoints"));
        Files.copy(dir.resolve("full/config.yaml"), killed.resolve("config.yaml"));
        String newest = String.format("checkpoint-e%07d-b0000000.ckpt", last);
        Files.copy(dir.resolve("full/checkpoints").resolve(newest), killed.resolve("checkpoints").resolve(newest));

        RunResult finished = runner.run(file, List.of(), RunOptions.defaults().resumeFrom(killed));
        assertThat(finished.history().epochs()).as("no epoch trained past the early stop").hasSize(last);
        assertThat(finished.history().stoppedEarly()).isTrue();
        assertThat(killed.resolve("model.json")).hasSameTextualContentAs(dir.resolve("full/model.json"));
        assertThatThrownBy(() -> runner.run(file, List.of(), RunOptions.defaults().resumeFrom(killed)))
                .hasMessageContaining("the run is complete").hasMessageContaining("(stopped early)");
    }

    @Test
    void anInterruptOfTheFittingThreadStopsAtACheckpointOrLetsTheLastEpochFinishTheRun() throws IOException {
        ExperimentRunner runner = new ExperimentRunner(REGISTRY);
        runner.run(config(), List.of(), new RunOptions(dir.resolve("full"), dir, null, List.of()));

        RunResult late = runner.run(config(), List.of(), RunOptions.builder().runDirectory(dir.resolve("late"))
                .listener(InterruptingListener.after(6)).build());
        assertThat(Thread.interrupted()).as("the flag stays set for the caller").isTrue();
        assertThat(late.interrupted()).isFalse();
        assertThat(dir.resolve("late/model.json")).hasSameTextualContentAs(dir.resolve("full/model.json"));

        RunResult early = runner.run(config(), List.of(), RunOptions.builder().runDirectory(dir.resolve("early"))
                .listener(InterruptingListener.after(3)).build());
        assertThat(Thread.interrupted()).isTrue();
        assertThat(early.interrupted()).isTrue();
        assertThat(early.lastCheckpoint().getFileName().toString()).isEqualTo("checkpoint-e0000003-b0000001.ckpt");
        RunResult resumed = runner.run(config(), List.of(), RunOptions.defaults().resumeFrom(dir.resolve("early")));
        assertThat(resumed.epochsBefore()).isEqualTo(3);
        assertThat(resumed.epochsThisProcess()).isEqualTo(3);
        assertThat(dir.resolve("early/model.json")).hasSameTextualContentAs(dir.resolve("full/model.json"));
    }

    @Test
    void aDamagedCheckpointIsRefusedWhole() throws IOException {
        ExperimentRunner runner = new ExperimentRunner(REGISTRY);
        runner.run(config(), List.of(), new RunOptions(dir.resolve("run"), dir, null, List.of()));
        Path newest = Checkpointer.list(dir.resolve("run/checkpoints")).get(1);
        String text = Files.readString(newest);

        Files.writeString(newest, text.substring(0, text.length() / 2));
        assertThatThrownBy(() -> runner.run(config(), List.of(), RunOptions.defaults().resumeFrom(dir.resolve("run"))))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INVALID))
                .hasMessageContaining(newest.toString()).hasMessageContaining("checksum does not match")
                .hasMessageContaining("was not used");

        Files.writeString(newest, text.replaceFirst("\"epoch\":6", "\"epoch\":5"));
        assertThatThrownBy(() -> RunDirectory.newestCheckpoint(dir.resolve("run"), REGISTRY)).hasMessageContaining("checksum does not match");

        Files.writeString(newest, "{}\n");
        assertThatThrownBy(() -> RunDirectory.newestCheckpoint(dir.resolve("run"), REGISTRY)).hasMessageContaining("not a Backprop checkpoint");

        assertThatThrownBy(() -> RunDirectory.newestCheckpoint(dir, REGISTRY)).hasMessageContaining("no checkpoints to resume from");
    }

    @Test
    void divergenceLeavesTheLastGoodCheckpointIntact() throws IOException {
        Path file = dir.resolve("diverge.yaml");
        Files.writeString(file, """
                network:
                  layers: [{dense: 4}, {dense: 1}]
                optimizer: {name: sgd, learning-rate: 0.001}
                training:
                  epochs: 50
                  batch-size: 2
                  shuffle: false
                  schedule: {name: exponential, gamma: 40}
                  checkpoint: {every: 1, keep: 50}
                data:
                  train: {inline: {inputs: [[1, 2], [3, -1], [0.5, 0.5], [2, 2]], targets: [[10], [-4], [2], [7]]}}
                """);
        ExperimentRunner runner = new ExperimentRunner(REGISTRY);
        assertThatThrownBy(() -> runner.run(file, List.of(), new RunOptions(dir.resolve("d"), dir, null, List.of())))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TRAINING_DIVERGED))
                .hasMessageContaining("smaller learning rate");
        List<Path> checkpoints = Checkpointer.list(dir.resolve("d/checkpoints"));
        assertThat(checkpoints).isNotEmpty();
        var newest = RunDirectory.newestCheckpoint(dir.resolve("d"), REGISTRY);
        assertThat(newest.state().history()).allSatisfy(m -> assertThat(Double.isFinite(m.trainLoss())).isTrue());
    }
}
