package dev.backprop.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.rundir.CheckpointFile;
import dev.backprop.core.rundir.Checkpointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint records the settings it was trained under; a resume refuses, by key, a checkpoint copied in
 * from another run or a config.yaml edited after the run started, and leaves every byte as it was.
 */
class ForeignCheckpointTest {
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();
    private static final ExperimentRunner RUNNER = new ExperimentRunner(REGISTRY);

    @TempDir
    Path dir;

    private Path config() throws Exception {
        return CheckpointedRunConfig.write(dir, "foreign");
    }

    private Path train(String name, String... overrides) throws Exception {
        RUNNER.run(config(), List.of(overrides), new RunOptions(dir.resolve(name), dir, null, List.of()));
        return dir.resolve(name);
    }

    /** Replaces the checkpoints of one run directory by another's, as a user copying files would. */
    private static void copyCheckpoints(Path from, Path to) throws Exception {
        for (Path old : Checkpointer.list(to.resolve("checkpoints"))) {
            Files.delete(old);
        }
        for (Path file : Checkpointer.list(from.resolve("checkpoints"))) {
            Files.copy(file, to.resolve("checkpoints").resolve(file.getFileName()));
        }
    }

    private RunOptions resume(Path run) {
        return new RunOptions(run, dir, null, List.of()).resumeFrom(run);
    }

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
    void aCheckpointCopiedInFromASeed43RunIsRefusedNamingTheSeed() throws Exception {
        Path mine = train("seed42");
        Path other = train("seed43", "seed=43");
        copyCheckpoints(other, mine);
        Map<String, String> before = snapshot(mine);
        assertThatThrownBy(() -> RUNNER.run(config(), List.of("training.epochs=5"), resume(mine)))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESUME_REFUSED))
                .hasMessageContaining("checkpoint-e0000003-b0000000.ckpt")
                .hasMessageContaining("this checkpoint was trained under seed 43 but the run's config.yaml says seed 42")
                .hasMessageContaining("Nothing was written");
        assertThat(snapshot(mine)).isEqualTo(before);
    }

    @Test
    void aCheckpointCopiedInFromALearningRate002RunIsRefusedNamingTheKey() throws Exception {
        Path mine = train("lr001");
        Path other = train("lr002", "optimizer.learning-rate=0.02");
        copyCheckpoints(other, mine);
        assertThatThrownBy(() -> RUNNER.run(config(), List.of("training.epochs=5"), resume(mine)))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESUME_REFUSED))
                .hasMessageContaining("trained under optimizer.learning-rate 0.02 but the run's config.yaml says "
                        + "optimizer.learning-rate 0.01")
                .hasMessageNotContaining("seed");
    }

    @Test
    void aConfigYamlEditedByHandAfterTheRunStartedIsRefused() throws Exception {
        Path mine = train("edited");
        Path recorded = mine.resolve("config.yaml");
        Files.writeString(recorded, Files.readString(recorded).replace("seed: 42", "seed: 43"));
        // The command agrees with the edited file, so only the checkpoint can tell.
        assertThatThrownBy(() -> RUNNER.run(config(), List.of("seed=43", "training.epochs=5"), resume(mine)))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESUME_REFUSED))
                .hasMessageContaining("trained under seed 42 but the run's config.yaml says seed 43");
    }

    @Test
    void settingsThatChangeNoWeightMayDifferAndTheRunsOwnCheckpointsResume() throws Exception {
        Path mine = train("own");
        Path other = train("other", "name=renamed", "training.checkpoint.every=2", "training.checkpoint.keep=3");
        var own = CheckpointFile.read(Checkpointer.list(mine.resolve("checkpoints")).get(1), REGISTRY).trainedUnder();
        var renamed = CheckpointFile.read(Checkpointer.list(other.resolve("checkpoints")).get(1), REGISTRY).trainedUnder();
        assertThat(renamed).isEqualTo(own);
        assertThat(own).containsEntry("seed", "42").containsEntry("optimizer.learning-rate", "0.01")
                .containsEntry("training.batch-size", "16").containsEntry("network.layers[0].dense", "5")
                .containsKey("versions.plugins.optimizer adam")
                .doesNotContainKeys("name", "training.epochs", "training.checkpoint.every", "versions.sdk");

        RunResult resumed = RUNNER.run(config(), List.of("training.epochs=5"), resume(mine));
        assertThat(resumed.history().epochs()).hasSize(5);
    }

    @Test
    void aCheckpointOfTheFormerFormatWithoutItsSettingsIsRefusedWithWhatToDo() throws Exception {
        Path mine = train("v1");
        Path newest = Checkpointer.list(mine.resolve("checkpoints")).get(1);
        String text = Files.readString(newest);
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(text.substring(text.indexOf('\n') + 1));
        root.remove("trained-under");
        String payload = new ObjectMapper().writeValueAsString(root);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(newest, "backprop-checkpoint 1 sha256=" + sha + "\n" + payload + "\n");
        assertThatThrownBy(() -> RUNNER.run(config(), List.of("training.epochs=5"), resume(mine)))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INVALID))
                .hasMessageContaining("checkpoint version 1").hasMessageContaining("--overwrite");
    }

    @Test
    void editedSettingsInsideACheckpointWithARecomputedChecksumAreCaughtByTheirDigest() throws Exception {
        Path mine = train("digest");
        Path newest = Checkpointer.list(mine.resolve("checkpoints")).get(1);
        String text = Files.readString(newest);
        String payload = text.substring(text.indexOf('\n') + 1).strip().replace("\"seed\":\"42\"", "\"seed\":\"7\"");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(newest, "backprop-checkpoint 2 sha256=" + sha + "\n" + payload + "\n");
        assertThatThrownBy(() -> CheckpointFile.read(newest, REGISTRY))
                .hasMessageContaining("trained-under.sha256 does not match its settings");
    }
}
