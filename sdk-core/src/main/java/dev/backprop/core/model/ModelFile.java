package dev.backprop.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backprop.api.Activation;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.data.Normalizer;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.io.IoErrors;
import dev.backprop.core.io.StrictJson;
import dev.backprop.core.network.ActivationLayer;
import dev.backprop.core.network.DenseLayer;
import dev.backprop.core.network.DropoutLayer;
import dev.backprop.core.network.Layer;
import dev.backprop.core.network.Network;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@code model.json}, the SDK's documented, versioned model format (see
 * {@code docs/model-format.md}). Numbers are written in the shortest form that reads back to the same
 * double, so a model round-trips bit for bit. Writing goes to a temporary file that is then moved into
 * place; reading checks every field and refuses a malformed or inconsistent file whole.
 */
public final class ModelFile {
    /** The value of the {@code format} field. */
    public static final String FORMAT = "backprop-model";
    /** The format version this SDK writes and reads. */
    public static final int VERSION = 1;
    /** The largest model file read, in bytes. */
    public static final long MAX_BYTES = 1L << 30;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The {@code model.json} form of each layer kind. */
    private static final Layer.Visitor<ObjectNode> LAYER_WRITER = new Layer.Visitor<>() {
        @Override
        public ObjectNode dense(DenseLayer dense) {
            ObjectNode item = JSON.createObjectNode();
            item.put("type", "dense");
            item.put("inputs", dense.inputSize());
            item.put("outputs", dense.outputSize());
            ArrayNode rows = item.putArray("weights");
            for (double[] row : dense.weights()) {
                numbers(rows.addArray(), row);
            }
            if (dense.hasBias()) {
                numbers(item.putArray("bias"), dense.bias());
            } else {
                item.putNull("bias");
            }
            return item;
        }

        @Override
        public ObjectNode activation(ActivationLayer activation) {
            ObjectNode item = JSON.createObjectNode();
            item.put("type", "activation");
            item.put("name", activation.activationName());
            item.set("parameters", JSON.valueToTree(activation.activationParameters()));
            return item;
        }

        @Override
        public ObjectNode dropout(DropoutLayer dropout) {
            ObjectNode item = JSON.createObjectNode();
            item.put("type", "dropout");
            item.put("rate", dropout.rate());
            return item;
        }
    };

    private ModelFile() {
    }

    /**
     * @param model the model
     * @return its JSON text
     */
    public static String toJson(Model model) {
        try {
            return JSON.writeValueAsString(toTree(model)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode toTree(Model model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("inputs", model.network().inputSize());
        ArrayNode layers = root.putArray("layers");
        for (Layer layer : model.network().layers()) {
            layers.add(layer.accept(LAYER_WRITER));
        }
        root.put("loss", model.loss());
        if (model.normalizer() == null) {
            root.putNull("normalization");
        } else {
            ObjectNode norm = root.putObject("normalization");
            norm.put("method", model.normalizer().method());
            numbers(norm.putArray("offset"), model.normalizer().offset());
            numbers(norm.putArray("scale"), model.normalizer().scale());
        }
        strings(root.putArray("features"), model.features());
        strings(root.putArray("targets"), model.targets());
        if (model.classes() == null) {
            root.putNull("classes");
            root.putNull("label");
        } else {
            strings(root.putArray("classes"), model.classes());
            root.put("label", model.label());
        }
        return root;
    }

    /**
     * Writes the model atomically: a temporary file beside {@code file}, then a move into place; column
     * names that reading would refuse (one given twice, an input that is also an output) are refused. Use
     * {@link #write(Model, Path, PluginRegistry)} to refuse a model that could not be read back.
     *
     * @param model the model
     * @param file where to write it
     */
    public static void write(Model model, Path file) {
        checkNames(model);
        AtomicFiles.writeString(file, toJson(model));
    }

    /**
     * Checks that {@code registry} can read the model back, then writes it atomically.
     *
     * @param model the model
     * @param file where to write it
     * @param registry the plugins it will be read with
     * @throws BackpropException ({@link ErrorCode#MODEL_INVALID}) naming the layer whose activation, or the
     *     loss, {@code registry} cannot re-create, and how to supply it; nothing is written then
     */
    public static void write(Model model, Path file, PluginRegistry registry) {
        checkReadable(model, registry);
        write(model, file);
    }

    /**
     * Checks that every activation of the model and its loss can be re-created by name from
     * {@code registry}, as {@link #read} will do: the plugin exists, accepts the saved parameters, and
     * makes an object of the same class as the one in the network.
     *
     * @param model the model
     * @param registry the plugins it will be read with
     * @throws BackpropException ({@link ErrorCode#MODEL_INVALID}) if it could not be read back
     */
    public static void checkReadable(Model model, PluginRegistry registry) {
        checkNames(model);
        List<Layer> layers = model.network().layers();
        for (int k = 0; k < layers.size(); k++) {
            if (layers.get(k) instanceof ActivationLayer layer) {
                String name = layer.activationName();
                Activation recreated;
                try {
                    recreated = registry.createActivation(name, layer.activationParameters());
                } catch (BackpropException e) {
                    throw new BackpropException(ErrorCode.MODEL_INVALID, "Cannot save the model: layers[" + k + "] uses the activation '"
                            + name + "', which the plugin registry cannot re-create (" + e.detail() + "), so the file could not be "
                            + "read back. " + HOW_TO_SUPPLY, e);
                }
                if (recreated.getClass() != layer.activation().getClass()) {
                    throw new BackpropException(ErrorCode.MODEL_INVALID, "Cannot save the model: layers[" + k + "] holds an activation of "
                            + layer.activation().getClass().getName() + " named '" + name + "', but the plugin '" + name + "' makes "
                            + recreated.getClass().getName() + ", so reading the file back would change the network. " + HOW_TO_SUPPLY);
                }
            }
        }
        try {
            registry.loss(model.loss());
        } catch (BackpropException e) {
            throw new BackpropException(ErrorCode.MODEL_INVALID, "Cannot save the model: its loss '" + model.loss()
                    + "' is not a plugin of the registry (" + e.detail() + ").", e);
        }
    }

    /** Refuses to write column names that {@link #read} would refuse. */
    private static void checkNames(Model model) {
        String names = namesProblem(model.features(), model.targets(), model.classes(), model.label());
        if (names != null) {
            throw new BackpropException(ErrorCode.MODEL_INVALID, "Cannot save the model: " + names + ", so the file could not be "
                    + "read back. Nothing was written.");
        }
    }

    /** How to supply a missing plugin when reading, for messages. */
    private static final String HOW_TO_SUPPLY_ON_READ = "Put the jar that provides it on the class or module path "
            + "(or in a --plugins folder for the command line), or read with a registry that registers its provider: "
            + "PluginRegistry.builder().include(PluginRegistry.discover()).register(provider).build()";

    /** How an application supplies a plugin that a model names, for messages. */
    private static final String HOW_TO_SUPPLY = "Supply the plugin: put the jar that provides it on the class or module path, "
            + "or register its provider (PluginRegistry.builder().include(PluginRegistry.discover()).register(provider).build()) "
            + "and build the layer with activation(\"name\").";

    /**
     * @param file a {@code model.json}
     * @param registry where the activation names are resolved
     * @return the model
     * @throws BackpropException ({@link ErrorCode#MODEL_INVALID}) naming the file and the field at fault
     */
    public static Model read(Path file, PluginRegistry registry) {
        java.util.Objects.requireNonNull(file, "file must not be null");
        java.util.Objects.requireNonNull(registry, "registry must not be null");
        JsonNode root;
        try (java.io.InputStream in = dev.backprop.core.io.BoundedFiles.open(file, MAX_BYTES, true)) {
            root = StrictJson.parse(in, file.toString(), ErrorCode.MODEL_INVALID);
        } catch (NoSuchFileException e) {
            throw new BackpropException(ErrorCode.IO_FAILED, file + ": no such model file.", e);
        } catch (dev.backprop.core.io.BoundedFiles.LimitException e) {
            throw invalid(file, "", e.getMessage());
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BackpropException(ErrorCode.IO_FAILED, file + ": could not be read: " + IoErrors.reason(e) + ".", e);
        }
        return fromTree(root, file.toString(), registry);
    }

    /**
     * @param json the text of a {@code model.json}
     * @param shownName how to name it in messages
     * @param registry where the activation names are resolved
     * @return the model
     */
    public static Model parse(String json, String shownName, PluginRegistry registry) {
        java.util.Objects.requireNonNull(json, "json must not be null");
        java.util.Objects.requireNonNull(shownName, "shownName must not be null");
        java.util.Objects.requireNonNull(registry, "registry must not be null");
        return fromTree(StrictJson.parse(json, shownName, ErrorCode.MODEL_INVALID), shownName, registry);
    }

    /**
     * @param tree a {@code model.json} already parsed (strictly)
     * @param shownName how to name it in messages
     * @param registry where the activation names are resolved
     * @return the model
     */
    public static Model fromJson(JsonNode tree, String shownName, PluginRegistry registry) {
        return fromTree(tree, shownName, registry);
    }

    private static Model fromTree(JsonNode root, String shownName, PluginRegistry registry) {
        Path name = Path.of(shownName);
        if (root == null || !root.isObject()) {
            throw invalid(name, "", "expected a JSON object");
        }
        String format = text(root, "format", name);
        knownKeys(root, name, "", List.of("format", "version", "inputs", "layers", "loss", "normalization", "features", "targets",
                "classes", "label"));
        if (!format.equals(FORMAT)) {
            throw invalid(name, "format", "expected \"" + FORMAT + "\", got \"" + IoErrors.excerpt(format) + "\"");
        }
        int version = integer(root, "version", name);
        if (version != VERSION) {
            throw invalid(name, "version", "this SDK reads version " + VERSION + ", the file is version " + version);
        }
        int inputs = integer(root, "inputs", name);
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray() || layersNode.isEmpty()) {
            throw invalid(name, "layers", "expected a non-empty array of layers");
        }
        List<Layer> layers = new ArrayList<>();
        int width = inputs;
        for (int k = 0; k < layersNode.size(); k++) {
            JsonNode item = layersNode.get(k);
            String at = "layers[" + k + "]";
            if (!item.isObject()) {
                throw invalid(name, at, "expected an object");
            }
            String type = text(item, "type", name, at);
            List<String> layerKeys = LAYER_KEYS.get(type);
            if (layerKeys != null) {
                knownKeys(item, name, at, layerKeys);
            }
            if (type.equals("dense")) {
                int in = integer(item, "inputs", name, at);
                int out = integer(item, "outputs", name, at);
                if (in != width) {
                    throw invalid(name, at + ".inputs", "is " + in + " but the previous layer produces " + width);
                }
                JsonNode biasNode = item.get("bias");
                DenseLayer dense;
                try {
                    dense = new DenseLayer(in, out, biasNode != null && !biasNode.isNull());
                } catch (BackpropException e) {
                    throw invalid(name, at, e.detail());
                }
                dense.setWeights(matrix(item.get("weights"), out, in, name, at + ".weights"));
                if (dense.hasBias()) {
                    dense.setBias(vector(biasNode, out, name, at + ".bias"));
                }
                layers.add(dense);
                width = out;
            } else if (type.equals("activation")) {
                String activationName = text(item, "name", name, at);
                Map<String, Object> parameters = new LinkedHashMap<>();
                JsonNode params = item.get("parameters");
                if (params != null && !params.isNull()) {
                    if (!params.isObject()) {
                        throw invalid(name, at + ".parameters", "expected an object");
                    }
                    for (Map.Entry<String, JsonNode> field : params.properties()) {
                        parameters.put(field.getKey(), JSON.convertValue(field.getValue(), Object.class));
                    }
                }
                Activation activation;
                try {
                    activation = registry.createActivation(activationName, parameters);
                } catch (BackpropException e) {
                    if (e.code() == ErrorCode.PLUGIN_FAILED) {
                        // The file is sound; the plugin it names fails: the plugin's error, not a damaged model.
                        throw new BackpropException(ErrorCode.PLUGIN_FAILED, name + ": " + at + ": " + e.detail(), e);
                    }
                    String hint = e.code() == ErrorCode.PLUGIN_UNKNOWN ? " The model needs the activation plugin '" + activationName
                            + "'. " + HOW_TO_SUPPLY_ON_READ : "";
                    throw invalid(name, at, e.detail() + hint);
                }
                layers.add(new ActivationLayer(activationName, parameters, activation, width));
            } else if (type.equals("dropout")) {
                JsonNode rate = item.get("rate");
                if (rate == null || !rate.isNumber() || !(rate.asDouble() >= 0 && rate.asDouble() < 1)) {
                    throw invalid(name, at + ".rate", "expected a number in [0, 1)");
                }
                layers.add(new DropoutLayer(width, rate.asDouble()));
            } else {
                throw invalid(name, at + ".type", "expected \"dense\", \"activation\" or \"dropout\", got \"" + IoErrors.excerpt(type) + "\"");
            }
        }
        Network network = Network.of(inputs, layers);
        String loss = text(root, "loss", name);
        Normalizer normalizer = null;
        JsonNode norm = root.get("normalization");
        if (norm != null && !norm.isNull()) {
            knownKeys(norm, name, "normalization", List.of("method", "offset", "scale"));
            String method = text(norm, "method", name, "normalization");
            if (!method.equals("standard") && !method.equals("min-max")) {
                throw invalid(name, "normalization.method", "expected \"standard\" or \"min-max\", got \"" + IoErrors.excerpt(method) + "\"");
            }
            double[] scale = vector(norm.get("scale"), inputs, name, "normalization.scale");
            for (int i = 0; i < scale.length; i++) {
                if (!(scale[i] > 0)) {
                    // Every method divides by a spread, which is positive; 0 or less would flip or blow up an input.
                    throw invalid(name, "normalization.scale[" + i + "]", "expected a number > 0, got " + scale[i]);
                }
            }
            normalizer = new Normalizer(method, vector(norm.get("offset"), inputs, name, "normalization.offset"), scale);
        }
        List<String> features = stringList(root.get("features"), inputs, name, "features");
        List<String> targets = stringList(root.get("targets"), network.outputSize(), name, "targets");
        String names = namesProblem(features, targets, null, null);
        if (names != null) {
            throw invalid(name, "", names);
        }
        JsonNode classesNode = root.get("classes");
        List<String> classes = null;
        String label = null;
        if (classesNode != null && !classesNode.isNull()) {
            classes = stringList(classesNode, -1, name, "classes");
            label = text(root, "label", name);
        } else {
            JsonNode labelNode = root.get("label");
            if (labelNode != null && !labelNode.isNull()) {
                throw invalid(name, "label", "expected null, as \"classes\" is null (a regression model has no class label), got "
                        + IoErrors.excerpt(labelNode.toString()));
            }
        }
        String outputs = namesProblem(features, targets, classes, label);
        if (outputs != null) {
            throw invalid(name, "", outputs);
        }
        try {
            registry.provider(dev.backprop.api.PluginKind.LOSS, loss);
        } catch (BackpropException e) {
            throw invalid(name, "loss", e.detail());
        }
        try {
            return new Model(network, loss, normalizer, features, targets, classes, label);
        } catch (BackpropException e) {
            throw invalid(name, classes == null ? "normalization" : "classes", e.detail());
        }
    }

    /**
     * Each name picks one column of a CSV: a name given twice would read one column twice and another
     * never; and an input column cannot also be what the model predicts. A classifier's targets are its
     * classes, values of the label rather than columns, so only its label is checked against the features.
     *
     * @return what is wrong, starting with the field, or {@code null}
     */
    private static String namesProblem(List<String> features, List<String> targets, List<String> classes, String label) {
        String twice = twice(features, "features");
        if (twice == null) {
            twice = twice(targets, "targets");
        }
        if (twice != null) {
            return twice;
        }
        List<String> predicted = classes == null ? targets : List.of(label);
        for (int i = 0; i < predicted.size(); i++) {
            int feature = features.indexOf(predicted.get(i));
            if (feature >= 0) {
                return (classes == null ? "targets[" + i + "]" : "label") + ": \"" + IoErrors.excerpt(predicted.get(i))
                        + "\" is also features[" + feature + "]; a column is either an input or what the model predicts, not both";
            }
        }
        return null;
    }

    private static String twice(List<String> names, String at) {
        for (int i = 0; i < names.size(); i++) {
            int first = names.indexOf(names.get(i));
            if (first != i) {
                return at + "[" + i + "]: \"" + IoErrors.excerpt(names.get(i)) + "\" is also " + at + "[" + first
                        + "]; each name must be given once";
            }
        }
        return null;
    }

    private static void numbers(ArrayNode array, double[] values) {
        for (double v : values) {
            array.add(v);
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    /** The fields of each layer kind in {@code model.json}. */
    private static final Map<String, List<String>> LAYER_KEYS = Map.of(
            "dense", List.of("type", "inputs", "outputs", "weights", "bias"),
            "activation", List.of("type", "name", "parameters"),
            "dropout", List.of("type", "rate"));

    /** A field this format does not have is refused: the file means one thing only. */
    private static void knownKeys(JsonNode object, Path file, String at, List<String> allowed) {
        if (!object.isObject()) {
            return;
        }
        for (java.util.Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String key = names.next();
            if (!allowed.contains(key)) {
                throw invalid(file, join(at, dev.backprop.core.io.IoErrors.excerpt(key)), "unknown field; allowed: "
                        + String.join(", ", allowed));
            }
        }
    }

    private static BackpropException invalid(Path file, String field, String detail) {
        // A detail taken from another error may end its own sentence already.
        String sentence = detail.endsWith(".") ? detail : detail + ".";
        return new BackpropException(ErrorCode.MODEL_INVALID, file + ": " + (field.isEmpty() ? "" : field + ": ") + sentence);
    }

    private static String text(JsonNode node, String field, Path file) {
        return text(node, field, file, "");
    }

    private static String text(JsonNode node, String field, Path file, String at) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw invalid(file, join(at, field), "expected a string");
        }
        return value.asText();
    }

    private static int integer(JsonNode node, String field, Path file) {
        return integer(node, field, file, "");
    }

    private static int integer(JsonNode node, String field, Path file, String at) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
            throw invalid(file, join(at, field), "expected a whole number >= 1");
        }
        return value.asInt();
    }

    private static String join(String at, String field) {
        return at.isEmpty() ? field : at + "." + field;
    }

    private static double[] vector(JsonNode node, int length, Path file, String at) {
        if (node == null || !node.isArray() || node.size() != length) {
            throw invalid(file, at, "expected an array of " + length + " numbers");
        }
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            JsonNode v = node.get(i);
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw invalid(file, at + "[" + i + "]", "expected a finite number, got " + IoErrors.excerpt(v.toString()));
            }
            out[i] = v.asDouble();
        }
        return out;
    }

    private static double[][] matrix(JsonNode node, int rows, int cols, Path file, String at) {
        if (node == null || !node.isArray() || node.size() != rows) {
            throw invalid(file, at, "expected " + rows + " rows (one per output unit)");
        }
        double[][] out = new double[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = vector(node.get(r), cols, file, at + "[" + r + "]");
        }
        return out;
    }

    private static List<String> stringList(JsonNode node, int length, Path file, String at) {
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            throw invalid(file, at, "expected an array of " + (length >= 0 ? length + " " : "") + "strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : node) {
            if (!v.isTextual()) {
                throw invalid(file, at, "expected strings, got " + IoErrors.excerpt(v.toString()));
            }
            out.add(v.asText());
        }
        return out;
    }
}
