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
import dev.backprop.core.io.BoundedFiles;
import dev.backprop.core.io.IoErrors;
import dev.backprop.core.io.StrictJson;
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
 * A checkpoint: the model and the {@link TrainingState} (optimizer state, position, metrics) of a run,
 * and the settings it was trained under ({@code trained-under}: each setting that changes the arithmetic,
 * by key, and their SHA-256), so that a resume can refuse a checkpoint of another run by name.
 * The file's first line is {@code backprop-checkpoint 2 sha256=<hex>}, the SHA-256 of the JSON that
 * follows; a file whose checksum does not match (truncated, edited, corrupted) is refused whole. Files
 * are written to a temporary file and moved into place, so a crash never leaves half a checkpoint.
 */
public final class CheckpointFile {
    /** The first word of a checkpoint file. */
    public static final String MAGIC = "backprop-checkpoint";
    /** The format version: 2 added {@code trained-under}. */
    public static final int VERSION = 2;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest checkpoint read, in bytes. */
    public static final long MAX_BYTES = ModelFile.MAX_BYTES;

    private CheckpointFile() {
    }

    /**
     * A checkpoint read back.
     *
     * @param model the model at the checkpoint
     * @param state the training state at the checkpoint
     * @param trainedUnder the settings it was trained under, by key path, in key order
     */
    public record Checkpoint(Model model, TrainingState state, Map<String, String> trainedUnder) {
        /**
         * Copies the settings.
         *
         * @param model the model at the checkpoint
         * @param state the training state at the checkpoint
         * @param trainedUnder the settings it was trained under, by key path
         */
        public Checkpoint {
            trainedUnder = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(trainedUnder));
        }
    }

    /**
     * @param file where to write
     * @param model the model (its weights are the state's)
     * @param state the training state
     * @param trainedUnder every setting that changes what the run computes, by key path, with its value as text
     */
    public static void write(Path file, Model model, TrainingState state, Map<String, String> trainedUnder) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode under = root.putObject("trained-under");
        java.util.SortedMap<String, String> sorted = new java.util.TreeMap<>(trainedUnder);
        ObjectNode settings = under.putObject("settings");
        sorted.forEach(settings::put);
        under.put("sha256", digest(sorted));
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
        if (Files.isSymbolicLink(file)) {
            throw invalid(file, "is a symbolic link, which no run creates; it is not followed");
        }
        String text;
        try {
            text = BoundedFiles.readText(file, file.toString(), MAX_BYTES, ErrorCode.MODEL_INVALID);
        } catch (BackpropException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                throw new BackpropException(ErrorCode.IO_FAILED, file + ": no such checkpoint.", e);
            }
            throw e;
        }
        int newline = text.indexOf('\n');
        String[] header = (newline < 0 ? text : text.substring(0, newline)).split(" ");
        if (header.length != 3 || !header[0].equals(MAGIC) || !header[2].startsWith("sha256=")) {
            throw invalid(file, "not a Backprop checkpoint (no '" + MAGIC + "' header)");
        }
        if (header[1].equals("1")) {
            throw invalid(file, "checkpoint version 1, written by an earlier SDK that did not record the settings a "
                    + "checkpoint was trained under, so it cannot be checked against this run; start the run again "
                    + "(--overwrite), or from its model.json with --init-from");
        }
        if (!header[1].equals(Integer.toString(VERSION))) {
            throw invalid(file, "checkpoint version " + IoErrors.excerpt(header[1]) + "; this SDK reads version " + VERSION);
        }
        String payload = text.substring(newline + 1).stripTrailing();
        if (!sha256(payload).equals(header[2].substring("sha256=".length()))) {
            throw invalid(file, "the checksum does not match: the file is truncated or corrupted");
        }
        JsonNode root = StrictJson.parse(payload, file.toString(), ErrorCode.MODEL_INVALID);
        Fields f = new Fields(file);
        f.knownKeys(root, "", ROOT_KEYS);
        Map<String, String> trainedUnder = trainedUnder(file, f.object(root, "trained-under"));
        JsonNode modelNode = f.object(root, "model");
        Model model = ModelFile.fromJson(modelNode, file + " (model)", registry);
        JsonNode s = f.object(root, "state");
        f.knownKeys(s, "state", STATE_KEYS);
        Map<String, double[]> optimizer = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : f.object(s, "optimizer").properties()) {
            optimizer.put(field.getKey(), f.doubles(field.getValue(), "state.optimizer." + field.getKey()));
        }
        List<EpochMetrics> history = new ArrayList<>();
        JsonNode rows = f.array(s, "history");
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            String at = "state.history[" + i + "]";
            if (!row.isObject()) {
                throw invalid(file, at + ": expected an object");
            }
            f.knownKeys(row, at, HISTORY_KEYS);
            history.add(new EpochMetrics(f.integer(row, "epoch", at), f.optional(row, "train-loss", at),
                    f.optional(row, "validation-loss", at), f.optional(row, "train-accuracy", at),
                    f.optional(row, "validation-accuracy", at), f.number(row, "seconds", at), f.whole(row, "examples", at)));
        }
        TrainingState state = new TrainingState(f.integer(s, "epoch", "state"), f.integer(s, "batch", "state"),
                f.number(s, "partial-loss", "state"), f.whole(s, "partial-correct", "state"), f.arrays(s, "weights"), optimizer,
                history, f.optional(s, "best-value", "state"), f.integer(s, "best-epoch", "state"), f.integer(s, "since-best", "state"),
                f.arrays(s, "best-weights"));
        return new Checkpoint(model, state, trainedUnder);
    }

    /** The fields of a checkpoint, as {@link #write} writes them: any other is refused, as in {@code model.json}. */
    private static final List<String> ROOT_KEYS = List.of("trained-under", "model", "state");
    private static final List<String> UNDER_KEYS = List.of("settings", "sha256");
    private static final List<String> STATE_KEYS = List.of("epoch", "batch", "partial-loss", "partial-correct", "weights",
            "optimizer", "history", "best-value", "best-epoch", "since-best", "best-weights");
    private static final List<String> HISTORY_KEYS = List.of("epoch", "train-loss", "validation-loss", "train-accuracy",
            "validation-accuracy", "seconds", "examples");

    private static Map<String, String> trainedUnder(Path file, JsonNode under) {
        new Fields(file).knownKeys(under, "trained-under", UNDER_KEYS);
        JsonNode settings = under.get("settings");
        if (settings == null || !settings.isObject()) {
            throw invalid(file, "trained-under.settings: expected an object");
        }
        java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
        for (Map.Entry<String, JsonNode> setting : settings.properties()) {
            if (!setting.getValue().isTextual()) {
                throw invalid(file, "trained-under.settings." + IoErrors.excerpt(setting.getKey()) + ": expected a string, got "
                        + IoErrors.excerpt(setting.getValue().toString()));
            }
            out.put(setting.getKey(), setting.getValue().textValue());
        }
        JsonNode sha = under.get("sha256");
        if (sha == null || !sha.isTextual() || !sha.textValue().equals(digest(out))) {
            throw invalid(file, "trained-under.sha256 does not match its settings: the file was edited");
        }
        return out;
    }

    /**
     * @param settings settings by key
     * @return the SHA-256 of {@code key=value} lines in key order: equal exactly when the settings are
     */
    public static String digest(java.util.SortedMap<String, String> settings) {
        StringBuilder text = new StringBuilder();
        settings.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return sha256(text.toString());
    }

    /** Typed, strict access to a checkpoint's fields: a missing field or a number written as a string is an error. */
    private record Fields(Path file) {
        void knownKeys(JsonNode object, String at, List<String> allowed) {
            for (java.util.Iterator<String> names = object.fieldNames(); names.hasNext();) {
                String key = names.next();
                if (!allowed.contains(key)) {
                    throw invalid(file, (at.isEmpty() ? "" : at + ".") + IoErrors.excerpt(key) + ": unknown field; allowed: "
                            + String.join(", ", allowed));
                }
            }
        }

        JsonNode field(JsonNode node, String name, String at) {
            JsonNode value = node.get(name);
            if (value == null) {
                throw invalid(file, at + "." + name + ": missing");
            }
            return value;
        }

        JsonNode object(JsonNode node, String name) {
            JsonNode value = node.get(name);
            if (value == null || !value.isObject()) {
                throw invalid(file, name + ": expected an object");
            }
            return value;
        }

        JsonNode array(JsonNode node, String name) {
            JsonNode value = node.get(name);
            if (value == null || !value.isArray()) {
                throw invalid(file, "state." + name + ": expected an array");
            }
            return value;
        }

        int integer(JsonNode node, String name, String at) {
            JsonNode value = field(node, name, at);
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
                throw invalid(file, at + "." + name + ": expected a whole number >= 0, got " + IoErrors.excerpt(value.toString()));
            }
            return value.intValue();
        }

        long whole(JsonNode node, String name, String at) {
            JsonNode value = field(node, name, at);
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
                throw invalid(file, at + "." + name + ": expected a whole number >= 0, got " + IoErrors.excerpt(value.toString()));
            }
            return value.longValue();
        }

        double number(JsonNode node, String name, String at) {
            JsonNode value = field(node, name, at);
            if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                throw invalid(file, at + "." + name + ": expected a finite number, got " + IoErrors.excerpt(value.toString()));
            }
            return value.doubleValue();
        }

        double optional(JsonNode node, String name, String at) {
            JsonNode value = node.get(name);
            return value == null || value.isNull() ? Double.NaN : number(node, name, at);
        }

        double[] doubles(JsonNode array, String at) {
            if (array == null || !array.isArray()) {
                throw invalid(file, at + ": expected an array of numbers");
            }
            double[] out = new double[array.size()];
            for (int i = 0; i < out.length; i++) {
                JsonNode v = array.get(i);
                if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                    throw invalid(file, at + "[" + i + "]: expected a finite number, got " + IoErrors.excerpt(v.toString()));
                }
                out[i] = v.doubleValue();
            }
            return out;
        }

        List<double[]> arrays(JsonNode node, String name) {
            JsonNode array = array(node, name);
            List<double[]> out = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                out.add(doubles(array.get(i), "state." + name + "[" + i + "]"));
            }
            return out;
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

}
