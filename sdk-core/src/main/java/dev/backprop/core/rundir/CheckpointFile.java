package dev.backprop.core.rundir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backprop.api.BackpropException;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.model.Model;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.TrainingState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint: the model and the {@link TrainingState} (optimizer state, position, metrics) of a run.
 * The file's first line is {@code backprop-checkpoint 1 sha256=<hex>}, the SHA-256 of the JSON that
 * follows; a file whose checksum does not match (truncated, edited, corrupted) is refused whole. Files
 * are written to a temporary file and moved into place, so a crash never leaves half a checkpoint.
 */
public final class CheckpointFile {
    /** The first word of a checkpoint file. */
    public static final String MAGIC = "backprop-checkpoint";
    /** The format version. */
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFile() {
    }

    /**
     * A checkpoint read back.
     *
     * @param model the model at the checkpoint
     * @param state the training state at the checkpoint
     */
    public record Checkpoint(Model model, TrainingState state) {
    }

    /**
     * @param file where to write
     * @param model the model (its weights are the state's)
     * @param state the training state
     */
    public static void write(Path file, Model model, TrainingState state) {
        ObjectNode root = JSON.createObjectNode();
        try {
            root.set("model", JSON.readTree(ModelFile.toJson(model)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ObjectNode s = root.putObject("state");
        s.put("epoch", state.epoch());
        s.put("batch", state.batch());
        s.put("partial-loss", state.partialLoss());
        s.put("partial-correct", state.partialCorrect());
        arrays(s.putArray("weights"), state.weights());
        ObjectNode optimizer = s.putObject("optimizer");
        state.optimizerState().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> numbers(optimizer.putArray(e.getKey()), e.getValue()));
        ArrayNode history = s.putArray("history");
        for (EpochMetrics m : state.history()) {
            ObjectNode row = history.addObject();
            row.put("epoch", m.epoch());
            number(row, "train-loss", m.trainLoss());
            number(row, "validation-loss", m.validationLoss());
            number(row, "train-accuracy", m.trainAccuracy());
            number(row, "validation-accuracy", m.validationAccuracy());
            row.put("seconds", m.seconds());
            row.put("examples", m.examples());
        }
        number(s, "best-value", state.bestValue());
        s.put("best-epoch", state.bestEpoch());
        s.put("since-best", state.epochsWithoutImprovement());
        arrays(s.putArray("best-weights"), state.bestWeights());
        String payload;
        try {
            payload = JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        AtomicFiles.writeString(file, MAGIC + " " + VERSION + " sha256=" + sha256(payload) + "\n" + payload + "\n");
    }

    /**
     * @param file a checkpoint file
     * @param registry where the model's activations are resolved
     * @return the checkpoint
     * @throws BackpropException ({@link ErrorCode#MODEL_INVALID}) if the file is not a complete, intact
     *     checkpoint of this version; nothing of it is used then
     */
    public static Checkpoint read(Path file, PluginRegistry registry) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BackpropException(ErrorCode.IO_FAILED, file + ": no such checkpoint.", e);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BackpropException(ErrorCode.IO_FAILED, file + ": could not be read: " + e.getMessage(), e);
        }
        int newline = text.indexOf('\n');
        String[] header = (newline < 0 ? text : text.substring(0, newline)).split(" ");
        if (header.length != 3 || !header[0].equals(MAGIC) || !header[2].startsWith("sha256=")) {
            throw invalid(file, "not a Backprop checkpoint (no '" + MAGIC + "' header)");
        }
        if (!header[1].equals(Integer.toString(VERSION))) {
            throw invalid(file, "checkpoint version " + header[1] + "; this SDK reads version " + VERSION);
        }
        String payload = text.substring(newline + 1).stripTrailing();
        if (!sha256(payload).equals(header[2].substring("sha256=".length()))) {
            throw invalid(file, "the checksum does not match: the file is truncated or corrupted");
        }
        try {
            JsonNode root = JSON.readTree(payload);
            JsonNode modelNode = root.get("model");
            if (modelNode == null) {
                throw invalid(file, "no model in the checkpoint");
            }
            Model model = ModelFile.parse(modelNode.toString(), file + " (model)", registry);
            JsonNode s = root.get("state");
            Map<String, double[]> optimizer = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : s.get("optimizer").properties()) {
                optimizer.put(field.getKey(), doubles(field.getValue()));
            }
            List<EpochMetrics> history = new ArrayList<>();
            for (JsonNode row : s.get("history")) {
                history.add(new EpochMetrics(row.get("epoch").asInt(), value(row, "train-loss"), value(row, "validation-loss"),
                        value(row, "train-accuracy"), value(row, "validation-accuracy"), row.get("seconds").asDouble(),
                        row.get("examples").asLong()));
            }
            TrainingState state = new TrainingState(s.get("epoch").asInt(), s.get("batch").asInt(), s.get("partial-loss").asDouble(),
                    s.get("partial-correct").asLong(), arraysOf(s.get("weights")), optimizer, history, value(s, "best-value"),
                    s.get("best-epoch").asInt(), s.get("since-best").asInt(), arraysOf(s.get("best-weights")));
            return new Checkpoint(model, state);
        } catch (JsonProcessingException | RuntimeException e) {
            if (e instanceof BackpropException bp) {
                throw bp;
            }
            throw invalid(file, "the content is malformed: " + e.getMessage());
        }
    }

    private static BackpropException invalid(Path file, String detail) {
        return new BackpropException(ErrorCode.MODEL_INVALID, file + ": " + detail + ". The checkpoint was not used.");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isNaN(value)) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    private static double value(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }

    private static void numbers(ArrayNode array, double[] values) {
        for (double v : values) {
            array.add(v);
        }
    }

    private static void arrays(ArrayNode array, List<double[]> values) {
        for (double[] v : values) {
            numbers(array.addArray(), v);
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private static List<double[]> arraysOf(JsonNode array) {
        List<double[]> out = new ArrayList<>();
        for (JsonNode item : array) {
            out.add(doubles(item));
        }
        return out;
    }
}
