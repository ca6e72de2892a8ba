package dev.backprop.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.rundir.Checkpointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A checkpoint edited by hand, its checksum recomputed as an attacker would, is refused by name before
 * anything of the run directory is written: optimizer state no run could have saved, a field the format does
 * not have, and a model that is not the run's network.
 */
class EditedCheckpointTest {
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();
    private static final ExperimentRunner RUNNER = new ExperimentRunner(REGISTRY);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config() throws Exception {
        return CheckpointedRunConfig.write(dir, "edited");
    }

    private Path train() throws Exception {
        Path run = dir.resolve("run");
        RUNNER.run(config(), List.of(), new RunOptions(run, dir, null, List.of()));
        return run;
    }

    private RunOptions resume(Path run) {
        return new RunOptions(run, dir, null, List.of()).resumeFrom(run);
    }

    /** Edits the newest checkpoint's JSON and writes it back with a matching checksum. */
    private static Path edit(Path run, Consumer<ObjectNode> change) throws Exception {
        Path newest = Checkpointer.list(run.resolve("checkpoints")).get(1);
        String text = Files.readString(newest);
        ObjectNode root = (ObjectNode) JSON.readTree(text.substring(text.indexOf('\n') + 1));
        change.accept(root);
        String payload = JSON.writeValueAsString(root);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(newest, text.substring(0, text.indexOf(" sha256=")) + " sha256=" + sha + "\n" + payload + "\n");
        return newest;
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

    private static ObjectNode state(ObjectNode root) {
        return (ObjectNode) root.get("state");
    }

    private static ObjectNode optimizer(ObjectNode root) {
        return (ObjectNode) state(root).get("optimizer");
    }

    private static ArrayNode numbers(double... values) {
        ArrayNode array = JSON.createArrayNode();
        for (double v : values) {
            array.add(v);
        }
        return array;
    }

    static Stream<Arguments> edits() {
        return Stream.of(
                Arguments.of("negative step count", (Consumer<ObjectNode>) r -> optimizer(r).set("steps", numbers(-20)),
                        "state.optimizer: the optimizer 'adam' refused the saved state (saved optimizer state steps is -20.0; "
                                + "expected a whole number from 0 to 2^53)"),
                Arguments.of("fractional step count", (Consumer<ObjectNode>) r -> optimizer(r).set("steps", numbers(2.5)),
                        "steps is 2.5; expected a whole number"),
                Arguments.of("huge step count", (Consumer<ObjectNode>) r -> optimizer(r).set("steps", numbers(1e308)),
                        "steps is 1.0E308; expected a whole number"),
                Arguments.of("more steps than batches", (Consumer<ObjectNode>) r -> optimizer(r).set("steps", numbers(13)),
                        "state.optimizer.steps: out of range for this run (13.0 steps, but 3 epochs of 4 batches and 0 batches more "
                                + "make at most 12)"),
                Arguments.of("negative second moment", (Consumer<ObjectNode>) r -> ((ArrayNode) optimizer(r).get("v[1]")).set(0, -1.0),
                        "saved optimizer state v[1][0] is -1.0; expected a finite number >= 0"),
                Arguments.of("unknown optimizer entry", (Consumer<ObjectNode>) r -> optimizer(r).set("velocity[0]", numbers(0)),
                        "saved optimizer state has velocity[0], which this optimizer does not keep"),
                Arguments.of("unknown top-level field", (Consumer<ObjectNode>) r -> r.put("x", 1),
                        "x: unknown field; allowed: trained-under, model, state"),
                Arguments.of("unknown state field", (Consumer<ObjectNode>) r -> state(r).put("momentum", 1),
                        "state.momentum: unknown field; allowed: epoch, batch"),
                Arguments.of("unknown history field", (Consumer<ObjectNode>) r -> ((ObjectNode) state(r).get("history").get(0)).put("lr", 1),
                        "state.history[0].lr: unknown field"),
                Arguments.of("unknown trained-under field", (Consumer<ObjectNode>) r -> ((ObjectNode) r.get("trained-under")).put("by", "me"),
                        "trained-under.by: unknown field; allowed: settings, sha256"),
                Arguments.of("other activation in the model", (Consumer<ObjectNode>) r -> ((ObjectNode) r.get("model").get("layers").get(1))
                        .put("name", "relu"), "model.layers[1].name: the checkpoint's model says \"relu\" but the run's network says \"tanh\""),
                Arguments.of("other loss in the model", (Consumer<ObjectNode>) r -> ((ObjectNode) r.get("model")).put("loss", "squared-error"),
                        "model.loss: the checkpoint's model says \"squared-error\" but the run's network says \"cross-entropy\""),
                Arguments.of("huge weight in the state only", (Consumer<ObjectNode>) r -> ((ArrayNode) state(r).get("weights").get(0)).set(0, 1e308),
                        "state.weights[0][0] is 1.0E308 but the checkpoint's model has"),
                Arguments.of("a partial loss before the first batch", (Consumer<ObjectNode>) r -> state(r).put("partial-loss", -1e300),
                        "state.partial-loss: out of range for this run (a loss of -1.0E300 and 0 correct before the epoch's first batch)"),
                Arguments.of("other feature name in the model", (Consumer<ObjectNode>) r -> ((ArrayNode) r.get("model").get("features"))
                        .set(0, "z"), "model.features[0]: the checkpoint's model says \"z\" but the run's network says"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edits")
    void anEditedCheckpointIsRefusedByNameAndNothingIsWritten(String what, Consumer<ObjectNode> change, String expected) throws Exception {
        Path run = train();
        Path newest = edit(run, change);
        Map<String, String> before = snapshot(run);
        assertThatThrownBy(() -> RUNNER.run(config(), List.of("training.epochs=5"), resume(run)))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INVALID))
                .hasMessageContaining(newest.toString())
                .hasMessageContaining(expected)
                .hasMessageContaining("The checkpoint was not used.");
        assertThat(snapshot(run)).as("config.yaml, run.log and every other file as they were").isEqualTo(before);
    }

    @Test
    void theRunsOwnCheckpointCountsEveryBatchItTrainedAndResumes() throws Exception {
        Path run = train();
        Path newest = Checkpointer.list(run.resolve("checkpoints")).get(1);
        String text = Files.readString(newest);
        ObjectNode root = (ObjectNode) JSON.readTree(text.substring(text.indexOf('\n') + 1));
        assertThat(optimizer(root).get("steps").get(0).asDouble()).as("the bound is exact: 3 epochs of 4 batches").isEqualTo(12.0);
        RunResult resumed = RUNNER.run(config(), List.of("training.epochs=5"), resume(run));
        assertThat(resumed.history().epochs()).hasSize(5);
    }
}
