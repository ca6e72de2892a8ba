package dev.backprop.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import dev.backprop.api.Activation;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.data.Normalizer;
import dev.backprop.core.model.Model;
import dev.backprop.core.network.ActivationLayer;
import dev.backprop.core.network.DenseLayer;
import dev.backprop.core.network.Layer;
import dev.backprop.core.network.Network;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a feed-forward ONNX graph as a {@link Model}: {@code Gemm} (any {@code transB}, {@code alpha},
 * {@code beta}) or {@code MatMul} followed by {@code Add} as dense layers; {@code Relu}, {@code Tanh},
 * {@code Sigmoid}, {@code LeakyRelu} (also in the {@code Where(x > 0, x, x * alpha)} form the exporter
 * writes at float64), {@code Softmax} over the last axis and {@code Identity} as activation layers;
 * {@code Flatten} and {@code Reshape} that leave a 2-D input as it is; {@code Sub} then {@code Div} (or
 * {@code Mul}) at the front as the normalisation. Initializers may be float32 or float64. The path from
 * the graph's output back to its input is followed; nodes off that path (such as the exporter's
 * {@code class} and {@code label} outputs) are ignored. Anything else is refused with
 * {@link ErrorCode#ONNX_INVALID}, naming the node, its operator and what is supported.
 */
public final class OnnxImporter {
    /** The largest file read, in bytes. */
    public static final long MAX_BYTES = 1L << 30;
    /** The most elements one tensor may have. */
    public static final long MAX_ELEMENTS = 1L << 27;
    /** The most nodes a graph may have. */
    public static final int MAX_NODES = 100_000;
    /** The operators the importer understands. */
    public static final List<String> SUPPORTED = List.of("Gemm", "MatMul", "Add", "Relu", "Tanh", "Sigmoid", "LeakyRelu",
            "Softmax", "Identity", "Flatten", "Reshape", "Sub", "Div", "Mul", "Constant",
            "Where (with Greater and Mul, as LeakyRelu)");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path source;
    private final PluginRegistry registry;
    private final java.util.function.UnaryOperator<Columns> naming;
    private final Map<String, Tensor> constants = new HashMap<>();
    /** The exact alpha of each LeakyRelu found in its float64 form, by output tensor. */
    private final Map<String, Double> exactAlpha = new HashMap<>();

    private OnnxImporter(Path source, PluginRegistry registry, java.util.function.UnaryOperator<Columns> naming) {
        this.naming = naming;
        this.source = source;
        this.registry = registry;
    }

    /**
     * @param file an {@code .onnx} file
     * @param registry where the activation plugins are found
     * @return the model
     * @throws BackpropException ({@link ErrorCode#ONNX_INVALID}) naming the file and what is wrong, or
     *     ({@link ErrorCode#IO_FAILED}) when it cannot be read
     */
    public static Model read(Path file, PluginRegistry registry) {
        return read(file, registry, java.util.function.UnaryOperator.identity());
    }

    /**
     * The names of a model's columns and classes: those the file's metadata gives, else {@code x1...} and
     * {@code y1...} and no classes.
     *
     * @param features one name per network input
     * @param targets one name per network output (for a classifier: its classes, or the label for one output)
     * @param classes the classes in output order, or {@code null} for regression
     * @param label the class-label column, or {@code null} for regression
     */
    public record Columns(List<String> features, List<String> targets, List<String> classes, String label) {
    }

    /**
     * As {@link #read(Path, PluginRegistry)}, with the names chosen by the caller: {@code naming} gets the
     * names the file gives (their counts are the graph's inputs and outputs) and returns those to use. The
     * loss is the file's metadata loss, else the one that fits the last activation and the returned classes.
     *
     * @param file an {@code .onnx} file
     * @param registry where the activation plugins are found
     * @param naming the names to use; an exception it throws is passed on as it is
     * @return the model
     */
    public static Model read(Path file, PluginRegistry registry, java.util.function.UnaryOperator<Columns> naming) {
        java.util.Objects.requireNonNull(file, "file must not be null");
        java.util.Objects.requireNonNull(registry, "registry must not be null");
        byte[] bytes;
        // Read with a byte bound: a device or an endless pipe is refused, and a FIFO without a writer too.
        try (java.io.InputStream in = dev.backprop.core.io.BoundedFiles.open(file, MAX_BYTES, false)) {
            bytes = in.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new BackpropException(ErrorCode.IO_FAILED, file + ": no such ONNX file.", e);
        } catch (dev.backprop.core.io.BoundedFiles.LimitException e) {
            throw new BackpropException(ErrorCode.ONNX_INVALID, file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BackpropException(ErrorCode.IO_FAILED, file + ": could not be read: "
                    + dev.backprop.core.io.IoErrors.reason(e) + ".", e);
        }
        return parse(bytes, file, registry, naming);
    }

    /**
     * @param bytes a serialised ONNX model
     * @param shownName how to name it in messages
     * @param registry where the activation plugins are found
     * @return the model
     */
    public static Model parse(byte[] bytes, Path shownName, PluginRegistry registry) {
        return parse(bytes, shownName, registry, java.util.function.UnaryOperator.identity());
    }

    private static Model parse(byte[] bytes, Path shownName, PluginRegistry registry, java.util.function.UnaryOperator<Columns> naming) {
        java.util.Objects.requireNonNull(bytes, "bytes must not be null");
        java.util.Objects.requireNonNull(shownName, "shownName must not be null");
        java.util.Objects.requireNonNull(registry, "registry must not be null");
        ModelProto proto;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(32);
            proto = ModelProto.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (IOException e) {
            // InvalidProtocolBufferException, the only kind reading from an array throws.
            throw new BackpropException(ErrorCode.ONNX_INVALID, shownName + ": not a readable ONNX (protobuf) model: "
                    + e.getMessage() + " (is the file truncated or of another format?).");
        }
        OnnxImporter importer = new OnnxImporter(shownName, registry, naming);
        try {
            return importer.convert(proto);
        } catch (BackpropException e) {
            if (e.code() == ErrorCode.ONNX_INVALID || e.code() == ErrorCode.ARGUMENT_INVALID) {
                throw e;
            }
            // A layer or network the core refuses (for example a size it does not accept), said as an ONNX error.
            throw importer.invalid("graph", e.detail());
        }
    }

    private Model convert(ModelProto proto) {
        if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
            throw invalid("", "the model has no graph nodes (is this an ONNX model file?)");
        }
        checkOpset(proto);
        GraphProto graph = proto.getGraph();
        if (graph.getNodeCount() > MAX_NODES) {
            throw invalid("graph", "has " + graph.getNodeCount() + " nodes; at most " + MAX_NODES + " are read");
        }
        for (TensorProto t : graph.getInitializerList()) {
            constants.put(t.getName(), tensor(t, "initializer '" + t.getName() + "'"));
        }
        for (NodeProto node : graph.getNodeList()) {
            if (node.getOutputCount() == 0) {
                throw invalid(describe(node), "has no outputs");
            }
            if (node.getOpType().equals("Constant")) {
                constants.put(node.getOutput(0), constantNode(node));
            }
        }
        ValueInfoProto input = graphInput(graph);
        long declaredFeatures = featureDimension(input);
        String output = graphOutput(graph);
        List<NodeProto> chain = pathBack(graph, input.getName(), output);
        Map<String, String> metadata = new HashMap<>();
        for (StringStringEntryProto entry : proto.getMetadataPropsList()) {
            metadata.put(entry.getKey(), entry.getValue());
        }
        return build(chain, declaredFeatures, metadata);
    }

    private void checkOpset(ModelProto proto) {
        boolean found = false;
        for (OperatorSetIdProto opset : proto.getOpsetImportList()) {
            if (opset.getDomain().isEmpty() || opset.getDomain().equals("ai.onnx")) {
                found = true;
                if (opset.getVersion() < 7) {
                    throw invalid("opset_import", "opset " + opset.getVersion() + " is older than this importer reads (7 or newer)");
                }
            }
        }
        if (!found) {
            throw invalid("opset_import", "the model imports no version of the default ONNX operator set");
        }
    }

    private ValueInfoProto graphInput(GraphProto graph) {
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (ValueInfoProto v : graph.getInputList()) {
            if (!constants.containsKey(v.getName())) {
                inputs.add(v);
            }
        }
        if (inputs.size() != 1) {
            throw invalid("graph.input", "expected exactly one input (the feature rows), found " + inputs.size());
        }
        ValueInfoProto input = inputs.get(0);
        if (!input.getType().hasTensorType()) {
            throw invalid("graph.input '" + input.getName() + "'", "expected a tensor");
        }
        int type = input.getType().getTensorType().getElemType();
        if (type != TensorProto.DataType.FLOAT_VALUE && type != TensorProto.DataType.DOUBLE_VALUE) {
            throw invalid("graph.input '" + input.getName() + "'", "has element type " + typeName(type)
                    + "; supported: float (float32), double (float64)");
        }
        return input;
    }

    /** @return the declared number of features, or -1 when the input does not say */
    private long featureDimension(ValueInfoProto input) {
        var tensorType = input.getType().getTensorType();
        if (!tensorType.hasShape()) {
            return -1;
        }
        TensorShapeProto shape = tensorType.getShape();
        if (shape.getDimCount() != 2) {
            throw invalid("graph.input '" + input.getName() + "'", "has " + shape.getDimCount()
                    + " dimensions; supported: 2 ([N, features])");
        }
        TensorShapeProto.Dimension d = shape.getDim(1);
        if (!d.hasDimValue()) {
            return -1;
        }
        if (d.getDimValue() < 1 || d.getDimValue() > Integer.MAX_VALUE) {
            throw invalid("graph.input '" + input.getName() + "'", "claims " + d.getDimValue() + " features");
        }
        return d.getDimValue();
    }

    private String graphOutput(GraphProto graph) {
        if (graph.getOutputCount() == 0) {
            throw invalid("graph.output", "the graph has no outputs");
        }
        for (ValueInfoProto v : graph.getOutputList()) {
            if (v.getName().equals("output")) {
                return v.getName();
            }
        }
        return graph.getOutput(0).getName();
    }

    /** Follows the output back to the input through each node's one data input. */
    private List<NodeProto> pathBack(GraphProto graph, String input, String output) {
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            for (String out : graph.getNode(i).getOutputList()) {
                if (producer.put(out, i) != null) {
                    throw invalid(describe(graph.getNode(i)), "tensor '" + out + "' is produced by two nodes");
                }
            }
        }
        List<NodeProto> path = new ArrayList<>();
        Set<Integer> visited = new HashSet<>();
        String tensor = output;
        while (!tensor.equals(input)) {
            Integer index = producer.get(tensor);
            if (index == null) {
                throw invalid("tensor '" + tensor + "'", constants.containsKey(tensor)
                        ? "the output does not depend on the input '" + input + "'"
                        : "is neither the graph input '" + input + "' nor produced by any node");
            }
            if (!visited.add(index)) {
                throw invalid(describe(graph.getNode(index)), "the graph has a cycle through this node");
            }
            NodeProto node = graph.getNode(index);
            if (node.getOpType().equals("Where")) {
                NodeProto leaky = leakyReluFromWhere(node, graph, producer);
                path.add(leaky);
                tensor = leaky.getInput(0);
                continue;
            }
            path.add(node);
            tensor = dataInput(node);
        }
        java.util.Collections.reverse(path);
        return path;
    }

    /** The one input of a node that is not a constant. */
    private String dataInput(NodeProto node) {
        String data = null;
        for (String in : node.getInputList()) {
            if (in.isEmpty() || constants.containsKey(in)) {
                continue;
            }
            if (data != null) {
                throw invalid(describe(node), "has two non-constant inputs ('" + data + "', '" + in
                        + "'); only a chain of layers is supported. Supported operators: " + String.join(", ", SUPPORTED));
            }
            data = in;
        }
        if (data == null) {
            throw invalid(describe(node), "has no input that depends on the graph input");
        }
        return data;
    }

    /**
     * Recognises {@code Where(Greater(x, 0), x, Mul(x, alpha))}, the exporter's exact float64 form of
     * LeakyRelu, and returns it as one LeakyRelu node with a float64 alpha.
     */
    private NodeProto leakyReluFromWhere(NodeProto where, GraphProto graph, Map<String, Integer> producer) {
        String unsupported = "is supported only as Where(Greater(x, 0), x, Mul(x, alpha)), the float64 form of LeakyRelu";
        if (where.getInputCount() != 3) {
            throw invalid(describe(where), unsupported);
        }
        Integer greaterIndex = producer.get(where.getInput(0));
        Integer mulIndex = producer.get(where.getInput(2));
        if (greaterIndex == null || mulIndex == null) {
            throw invalid(describe(where), unsupported);
        }
        NodeProto greater = graph.getNode(greaterIndex);
        NodeProto mul = graph.getNode(mulIndex);
        String x = where.getInput(1);
        if (!greater.getOpType().equals("Greater") || !mul.getOpType().equals("Mul") || greater.getInputCount() != 2
                || mul.getInputCount() != 2 || !greater.getInput(0).equals(x) || !mul.getInput(0).equals(x)) {
            throw invalid(describe(where), unsupported);
        }
        Tensor zero = constants.get(greater.getInput(1));
        Tensor alpha = constants.get(mul.getInput(1));
        if (zero == null || alpha == null || zero.count() != 1 || alpha.count() != 1 || zero.values()[0] != 0) {
            throw invalid(describe(where), unsupported);
        }
        exactAlpha.put(where.getOutput(0), alpha.values()[0]);
        return NodeProto.newBuilder().setOpType("LeakyRelu").setName(where.getName()).addInput(x).addAllOutput(where.getOutputList())
                .build();
    }

    private Model build(List<NodeProto> chain, long declaredFeatures, Map<String, String> metadata) {
        if (chain.isEmpty()) {
            throw invalid("graph", "the output is the input; there is no layer to import");
        }
        int features = (int) declaredFeatures;
        if (features < 0) {
            features = firstLinearInputs(chain);
        }
        double[] offset = null;
        double[] scale = null;
        List<Layer> layers = new ArrayList<>();
        int width = features;
        boolean linearSeen = false;
        for (int i = 0; i < chain.size(); i++) {
            NodeProto node = chain.get(i);
            String at = describe(node);
            if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
                throw invalid(at, "operator '" + node.getOpType() + "' of domain '" + node.getDomain()
                        + "' is not supported; only the default ONNX domain is. Supported operators: " + String.join(", ", SUPPORTED));
            }
            switch (node.getOpType()) {
                case "Sub" -> {
                    if (linearSeen || offset != null || scale != null) {
                        throw invalid(at, "Sub is supported only at the front, before Div or Mul, as the normalisation offset");
                    }
                    offset = broadcast(operand(node, 1, at), features, at);
                }
                case "Div", "Mul" -> {
                    if (linearSeen || scale != null) {
                        throw invalid(at, node.getOpType() + " is supported only at the front, after an optional Sub, as the normalisation scale");
                    }
                    double[] values = broadcast(operand(node, node.getOpType().equals("Div") ? 1 : -1, at), features, at);
                    scale = new double[features];
                    for (int c = 0; c < features; c++) {
                        if (values[c] == 0 || !Double.isFinite(values[c])) {
                            throw invalid(at, "the normalisation " + (node.getOpType().equals("Div") ? "divisor" : "factor")
                                    + " [" + c + "] is " + values[c]);
                        }
                        scale[c] = node.getOpType().equals("Div") ? values[c] : 1.0 / values[c];
                    }
                }
                case "Gemm" -> {
                    layers.add(gemm(node, width, at));
                    width = layers.get(layers.size() - 1).outputSize();
                    linearSeen = true;
                }
                case "MatMul" -> {
                    NodeProto add = i + 1 < chain.size() && chain.get(i + 1).getOpType().equals("Add") ? chain.get(++i) : null;
                    layers.add(matMul(node, add, width, at));
                    width = layers.get(layers.size() - 1).outputSize();
                    linearSeen = true;
                }
                case "Relu" -> layers.add(activation("relu", Map.of(), width, at));
                case "Tanh" -> layers.add(activation("tanh", Map.of(), width, at));
                case "Sigmoid" -> layers.add(activation("sigmoid", Map.of(), width, at));
                case "Identity" -> layers.add(activation("identity", Map.of(), width, at));
                case "LeakyRelu" -> layers.add(activation("leaky-relu", Map.of("alpha", leakyAlpha(node)), width, at));
                case "Softmax" -> {
                    long axis = intAttribute(node, "axis", -1);
                    if (axis != -1 && axis != 1) {
                        throw invalid(at, "Softmax over axis " + axis + "; supported: the last axis (-1 or 1 on [N, units])");
                    }
                    layers.add(activation("softmax", Map.of(), width, at));
                }
                case "Flatten" -> {
                    long axis = intAttribute(node, "axis", 1);
                    if (axis != 1 && axis != -1) {
                        throw invalid(at, "Flatten with axis " + axis + " changes a 2-D input; supported: axis 1");
                    }
                }
                case "Reshape" -> reshape(node, width, at);
                default -> throw invalid(at, "operator '" + node.getOpType() + "' is not supported here. Supported operators: "
                        + String.join(", ", SUPPORTED));
            }
        }
        if (!linearSeen) {
            throw invalid("graph", "has no Gemm or MatMul layer");
        }
        Normalizer normalizer = null;
        if (offset != null || scale != null) {
            String method = metadata.getOrDefault(MetadataKeys.NORMALIZATION, "standard");
            if (!method.equals("standard") && !method.equals("min-max")) {
                method = "standard";
            }
            normalizer = new Normalizer(method, offset != null ? offset : new double[features],
                    scale != null ? scale : ones(features));
        }
        Network network = Network.of(features, layers);
        List<String> featureNames = names(metadata, MetadataKeys.FEATURES, features, "x");
        List<String> targets = names(metadata, MetadataKeys.TARGETS, network.outputSize(), "y");
        List<String> classes = metadata.containsKey(MetadataKeys.CLASSES) ? names(metadata, MetadataKeys.CLASSES, -1, null) : null;
        String label = classes == null ? null : metadata.getOrDefault(MetadataKeys.LABEL, "class");
        Columns columns = naming.apply(new Columns(featureNames, targets, classes, label));
        String loss = metadata.getOrDefault(MetadataKeys.LOSS, defaultLoss(layers, columns.classes()));
        return new Model(network, loss, normalizer, columns.features(), columns.targets(), columns.classes(), columns.label());
    }

    private static String defaultLoss(List<Layer> layers, List<String> classes) {
        Layer last = layers.get(layers.size() - 1);
        if (last instanceof ActivationLayer a && a.activationName().equals("softmax")) {
            return "cross-entropy";
        }
        if (classes != null && last instanceof ActivationLayer a && a.activationName().equals("sigmoid")) {
            return "binary-cross-entropy";
        }
        return "squared-error";
    }

    private int firstLinearInputs(List<NodeProto> chain) {
        for (NodeProto node : chain) {
            if (node.getOpType().equals("Gemm")) {
                Tensor b = constant(node, 1, describe(node));
                long transB = intAttribute(node, "transB", 0);
                return (int) (transB == 1 ? dim(b, 1) : dim(b, 0));
            }
            if (node.getOpType().equals("MatMul")) {
                return (int) dim(constant(node, 1, describe(node)), 0);
            }
        }
        throw invalid("graph", "has no Gemm or MatMul layer");
    }

    private long dim(Tensor t, int index) {
        if (t.dims().length != 2) {
            throw invalid(t.name(), "expected a 2-D weight matrix, got " + t.dims().length + " dimensions");
        }
        return t.dims()[index];
    }

    private DenseLayer gemm(NodeProto node, int width, String at) {
        if (node.getInputCount() < 2 || node.getInput(0).isEmpty() || constants.containsKey(node.getInput(0))) {
            throw invalid(at, "Gemm's first input must be the layer input and its second a constant weight matrix");
        }
        if (intAttribute(node, "transA", 0) != 0) {
            throw invalid(at, "Gemm with transA = 1 is not supported (it would transpose the examples)");
        }
        long transB = intAttribute(node, "transB", 0);
        double alpha = floatAttribute(node, "alpha", 1.0);
        double beta = floatAttribute(node, "beta", 1.0);
        Tensor b = constant(node, 1, at);
        int in = (int) (transB == 1 ? dim(b, 1) : dim(b, 0));
        int out = (int) (transB == 1 ? dim(b, 0) : dim(b, 1));
        if (in != width) {
            throw invalid(at, "its weights take " + in + " inputs but the previous layer produces " + width);
        }
        double[][] weights = new double[out][in];
        for (int j = 0; j < out; j++) {
            for (int i = 0; i < in; i++) {
                double w = transB == 1 ? b.values()[j * in + i] : b.values()[i * out + j];
                weights[j][i] = alpha == 1.0 ? w : alpha * w;
            }
        }
        double[] bias = null;
        if (node.getInputCount() > 2 && !node.getInput(2).isEmpty() && beta != 0) {
            double[] c = biasVector(constant(node, 2, at), out, at);
            bias = new double[out];
            for (int j = 0; j < out; j++) {
                bias[j] = beta == 1.0 ? c[j] : beta * c[j];
            }
        }
        return dense(in, out, weights, bias, at);
    }

    private DenseLayer matMul(NodeProto node, NodeProto add, int width, String at) {
        if (node.getInputCount() != 2 || constants.containsKey(node.getInput(0)) || !constants.containsKey(node.getInput(1))) {
            throw invalid(at, "MatMul is supported as (layer input) x (constant weight matrix [inputs, outputs])");
        }
        Tensor w = usable(constants.get(node.getInput(1)), at);
        int in = (int) dim(w, 0);
        int out = (int) dim(w, 1);
        if (in != width) {
            throw invalid(at, "its weights take " + in + " inputs but the previous layer produces " + width);
        }
        double[][] weights = new double[out][in];
        for (int j = 0; j < out; j++) {
            for (int i = 0; i < in; i++) {
                weights[j][i] = w.values()[i * out + j];
            }
        }
        double[] bias = null;
        if (add != null) {
            String addAt = describe(add);
            if (add.getInputCount() != 2) {
                throw invalid(addAt, "Add needs two inputs");
            }
            int constantSide = constants.containsKey(add.getInput(1)) ? 1 : constants.containsKey(add.getInput(0)) ? 0 : -1;
            if (constantSide < 0) {
                throw invalid(addAt, "Add after MatMul must add a constant bias vector");
            }
            bias = biasVector(usable(constants.get(add.getInput(constantSide)), addAt), out, addAt);
        }
        return dense(in, out, weights, bias, at);
    }

    private DenseLayer dense(int in, int out, double[][] weights, double[] bias, String at) {
        for (double[] row : weights) {
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw invalid(at, "the weights contain " + v);
                }
            }
        }
        DenseLayer layer = new DenseLayer(in, out, bias != null);
        layer.setWeights(weights);
        if (bias != null) {
            for (double v : bias) {
                if (!Double.isFinite(v)) {
                    throw invalid(at, "the bias contains " + v);
                }
            }
            layer.setBias(bias);
        }
        return layer;
    }

    private double[] biasVector(Tensor c, int out, String at) {
        long[] d = c.dims();
        boolean ok = d.length == 0 || (d.length == 1 && (d[0] == out || d[0] == 1)) || (d.length == 2 && d[0] == 1 && (d[1] == out || d[1] == 1));
        if (!ok) {
            throw invalid(at, "bias '" + c.name() + "' has shape " + java.util.Arrays.toString(d) + "; expected [" + out + "], [1, "
                    + out + "] or a scalar");
        }
        double[] bias = new double[out];
        for (int j = 0; j < out; j++) {
            bias[j] = c.count() == 1 ? c.values()[0] : c.values()[j];
        }
        return bias;
    }

    private void reshape(NodeProto node, int width, String at) {
        Tensor shape = constant(node, 1, at);
        if (shape.count() != 2) {
            throw invalid(at, "Reshape to " + shape.count() + " dimensions; supported: a Reshape that keeps [N, " + width + "]");
        }
        double first = shape.values()[0];
        double second = shape.values()[1];
        if (!((first == -1 || first == 0) && (second == -1 || second == width) && !(first == -1 && second == -1))) {
            throw invalid(at, "Reshape to [" + (long) first + ", " + (long) second + "] changes the [N, " + width
                    + "] rows; supported: [-1, " + width + "], [0, -1], [0, " + width + "]");
        }
    }

    private ActivationLayer activation(String name, Map<String, Object> parameters, int width, String at) {
        Activation activation;
        try {
            activation = registry.createActivation(name, parameters);
        } catch (BackpropException e) {
            throw invalid(at, "needs the activation plugin '" + name + "': " + e.detail());
        }
        return new ActivationLayer(name, parameters, activation, width);
    }

    private double leakyAlpha(NodeProto node) {
        Double exact = exactAlpha.get(node.getOutput(0));
        return exact != null ? exact : floatAttribute(node, "alpha", 0.01);
    }

    private Tensor operand(NodeProto node, int index, String at) {
        if (index >= 0) {
            return constant(node, index, at);
        }
        for (int i = 0; i < node.getInputCount(); i++) {
            if (constants.containsKey(node.getInput(i))) {
                return usable(constants.get(node.getInput(i)), at);
            }
        }
        throw invalid(at, "expected a constant operand");
    }

    private Tensor constant(NodeProto node, int index, String at) {
        if (node.getInputCount() <= index || !constants.containsKey(node.getInput(index))) {
            throw invalid(at, "input " + index + " must be a constant (an initializer or a Constant node)");
        }
        return usable(constants.get(node.getInput(index)), at);
    }

    private Tensor usable(Tensor t, String at) {
        if (t.unusableType() != null) {
            throw invalid(at, "'" + t.name() + "' is a " + t.unusableType() + " tensor; supported: float, double");
        }
        return t;
    }

    private double[] broadcast(Tensor t, int features, String at) {
        if (t.count() != 1 && t.count() != features) {
            throw invalid(at, "'" + t.name() + "' has " + t.count() + " values; expected 1 or " + features + " (one per feature)");
        }
        double[] out = new double[features];
        for (int c = 0; c < features; c++) {
            out[c] = t.count() == 1 ? t.values()[0] : t.values()[c];
        }
        return out;
    }

    private static double[] ones(int n) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, 1.0);
        return out;
    }

    private List<String> names(Map<String, String> metadata, String key, int length, String prefix) {
        String text = metadata.get(key);
        if (text == null) {
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= length; i++) {
                out.add(prefix + i);
            }
            return out;
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            throw invalid("metadata '" + key + "'", "expected a JSON array of strings, got '" + abbreviate(text) + "'");
        }
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length) || node.isEmpty()) {
            throw invalid("metadata '" + key + "'", "expected a JSON array of " + (length >= 0 ? length + " " : "") + "strings, got '"
                    + abbreviate(text) + "'");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : node) {
            if (!v.isTextual()) {
                throw invalid("metadata '" + key + "'", "expected strings, got " + v);
            }
            out.add(v.asText());
        }
        return out;
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    private Tensor constantNode(NodeProto node) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals("value") && a.hasT()) {
                return tensor(a.getT().toBuilder().setName(node.getOutput(0)).build(), describe(node));
            }
        }
        throw invalid(describe(node), "a Constant is supported only with a 'value' tensor attribute");
    }

    /** Reads a float, double or int64 tensor, checking its claimed size against the data it carries. */
    private Tensor tensor(TensorProto t, String at) {
        long count = 1;
        long[] dims = new long[t.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > MAX_ELEMENTS || (d > 0 && count > MAX_ELEMENTS / d)) {
                throw invalid(at, "claims dimensions " + t.getDimsList() + "; at most " + MAX_ELEMENTS + " elements are read");
            }
            dims[i] = d;
            count *= d;
        }
        if (t.hasDataLocation() && t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw invalid(at, "keeps its data in an external file; only tensors stored inside the model are read");
        }
        int type = t.getDataType();
        int size = switch (type) {
            case TensorProto.DataType.FLOAT_VALUE -> Float.BYTES;
            case TensorProto.DataType.DOUBLE_VALUE, TensorProto.DataType.INT64_VALUE -> Long.BYTES;
            default -> -1;
        };
        if (size < 0) {
            // Other types (strings, such as the exporter's class names) are kept only as unusable constants.
            return new Tensor(t.getName(), dims, new double[0], typeName(type));
        }
        if (!t.getRawData().isEmpty()) {
            if (t.getRawData().size() != count * size) {
                throw invalid(at, "claims " + count + " " + typeName(type) + " values but carries " + t.getRawData().size() + " bytes");
            }
            double[] values = new double[(int) count];
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                values[i] = switch (type) {
                    case TensorProto.DataType.FLOAT_VALUE -> raw.getFloat();
                    case TensorProto.DataType.DOUBLE_VALUE -> raw.getDouble();
                    default -> raw.getLong();
                };
            }
            return new Tensor(t.getName(), dims, values, null);
        }
        {
            int available = switch (type) {
                case TensorProto.DataType.FLOAT_VALUE -> t.getFloatDataCount();
                case TensorProto.DataType.DOUBLE_VALUE -> t.getDoubleDataCount();
                default -> t.getInt64DataCount();
            };
            if (available != count) {
                throw invalid(at, "claims " + count + " " + typeName(type) + " values but carries " + available);
            }
            double[] values = new double[(int) count];
            for (int i = 0; i < count; i++) {
                values[i] = switch (type) {
                    case TensorProto.DataType.FLOAT_VALUE -> t.getFloatData(i);
                    case TensorProto.DataType.DOUBLE_VALUE -> t.getDoubleData(i);
                    default -> t.getInt64Data(i);
                };
            }
            return new Tensor(t.getName(), dims, values, null);
        }
    }

    private long intAttribute(NodeProto node, String name, long fallback) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                if (a.getType() != AttributeProto.AttributeType.INT) {
                    throw invalid(describe(node), "attribute '" + name + "' must be an INT, got " + a.getType());
                }
                return a.getI();
            }
        }
        return fallback;
    }

    private double floatAttribute(NodeProto node, String name, double fallback) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                if (a.getType() != AttributeProto.AttributeType.FLOAT || !Float.isFinite(a.getF())) {
                    throw invalid(describe(node), "attribute '" + name + "' must be a finite FLOAT");
                }
                return a.getF();
            }
        }
        return fallback;
    }

    private static String describe(NodeProto node) {
        return "node '" + (node.getName().isEmpty() ? (node.getOutputCount() > 0 ? node.getOutput(0) : "?") : node.getName())
                + "' (" + node.getOpType() + ")";
    }

    private static String typeName(int type) {
        TensorProto.DataType known = TensorProto.DataType.forNumber(type);
        return known == null ? "unknown type " + type : known.name().toLowerCase(java.util.Locale.ROOT);
    }

    private BackpropException invalid(String where, String detail) {
        String sentence = detail.endsWith(".") ? detail : detail + ".";
        return new BackpropException(ErrorCode.ONNX_INVALID, source + ": " + (where.isEmpty() ? "" : where + ": ") + sentence);
    }

    /** A constant tensor: its values as doubles (float, double and int64 alike), or none for other types. */
    private record Tensor(String name, long[] dims, double[] values, String unusableType) {
        int count() {
            return values.length;
        }
    }
}
