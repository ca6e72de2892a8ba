package dev.backprop.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.backprop.api.Activation;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.ExportableActivation;
import dev.backprop.core.experiment.Versions;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.model.Model;
import dev.backprop.core.network.ActivationLayer;
import dev.backprop.core.network.DenseLayer;
import dev.backprop.core.network.DropoutLayer;
import dev.backprop.core.network.Layer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Model} as an ONNX model (see {@code docs/onnx.md}). The graph takes raw feature rows
 * ({@code input}, {@code [N, features]}), applies the model's normalisation ({@code Sub}, {@code Div}),
 * each dense layer as {@code Gemm} (with {@code transB = 1}, so the weights are stored as the SDK holds
 * them: one row per output unit), each activation as its plugin describes it
 * ({@link ExportableActivation}), and ends in {@code output} ({@code [N, outputs]}). A classifier also
 * gets {@code class} (the predicted class index, int64 {@code [N]}) and {@code label} (its name, string
 * {@code [N]}). Dropout layers do nothing at prediction time and are left out. Names, the loss and the
 * SDK version go into the model's metadata. Opset {@value #OPSET}, IR version {@value #IR_VERSION}.
 */
public final class OnnxExporter {
    /** The ONNX operator set the exported graphs use: every operator used is unchanged in it since opset 13. */
    public static final int OPSET = 13;
    /** The ONNX IR version written: 7 is the one that goes with opset 13 (ONNX 1.8). */
    public static final int IR_VERSION = 7;
    /** The producer name written into the model. */
    public static final String PRODUCER = "backprop-sdk";

    private static final ObjectMapper JSON = new ObjectMapper();

    private OnnxExporter() {
    }

    /**
     * @param model the model
     * @param precision the element type of the graph
     * @return the serialised ONNX model
     * @throws BackpropException ({@link ErrorCode#ONNX_EXPORT_UNSUPPORTED}) naming the layer and plugin
     *     whose activation cannot be exported
     */
    public static byte[] export(Model model, Precision precision) {
        java.util.Objects.requireNonNull(model, "model must not be null");
        java.util.Objects.requireNonNull(precision, "precision must not be null");
        return build(model, precision).toByteArray();
    }

    /**
     * Exports to a file: a temporary file beside it, then a move into place; nothing is written when the
     * model cannot be exported.
     *
     * @param model the model
     * @param precision the element type of the graph
     * @param file where to write the {@code .onnx} file
     */
    public static void write(Model model, Precision precision, Path file) {
        java.util.Objects.requireNonNull(file, "file must not be null");
        AtomicFiles.writeBytes(file, export(model, precision));
    }

    /**
     * Whether a file is an ONNX model that this SDK exported: a protobuf {@code ModelProto} whose
     * {@code producer_name} is {@value #PRODUCER}. Only the fields before the graph are read (protobuf
     * writes fields in number order, and the producer's is 2, the graph's 7), so a large file costs little.
     * The {@code export} command replaces such a file without {@code --overwrite}, and nothing else.
     *
     * @param file any existing file
     * @return {@code false} for anything else, including a file that cannot be read
     */
    public static boolean isExportedFile(Path file) {
        try (java.io.InputStream stream = java.nio.file.Files.newInputStream(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(stream);
            in.setSizeLimit(1 << 16);
            for (int fields = 0; fields < 16; fields++) {
                int tag = in.readTag();
                int number = com.google.protobuf.WireFormat.getTagFieldNumber(tag);
                if (tag == 0 || number >= ModelProto.GRAPH_FIELD_NUMBER) {
                    return false;
                }
                if (number == ModelProto.PRODUCER_NAME_FIELD_NUMBER
                        && com.google.protobuf.WireFormat.getTagWireType(tag) == com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    return in.readStringRequireUtf8().equals(PRODUCER);
                }
                if (!in.skipField(tag)) {
                    return false;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static ModelProto build(Model model, Precision precision) {
        Graph graph = new Graph(precision);
        int features = model.network().inputSize();
        String current = "input";
        if (model.normalizer() != null) {
            current = graph.node("Sub", List.of(current, graph.vector("normalization.offset", model.normalizer().offset())),
                    "normalization.centred", Map.of());
            current = graph.node("Div", List.of(current, graph.vector("normalization.scale", model.normalizer().scale())),
                    "normalization.scaled", Map.of());
        }
        List<Layer> layers = model.network().layers();
        for (int k = 0; k < layers.size(); k++) {
            int index = k;
            String input = current;
            String prefix = "layers." + k;
            // Every layer kind says what it becomes in the graph; a new kind must answer here.
            current = layers.get(k).accept(new Layer.Visitor<String>() {
                @Override
                public String dense(DenseLayer dense) {
                    List<String> inputs = new ArrayList<>(List.of(input, graph.matrix(prefix + ".weight", dense.weights())));
                    if (dense.hasBias()) {
                        inputs.add(graph.vector(prefix + ".bias", dense.bias()));
                    }
                    return graph.node("Gemm", inputs, prefix, Map.of("transB", 1L));
                }

                @Override
                public String activation(ActivationLayer activation) {
                    return OnnxExporter.activation(graph, activation, index, input);
                }

                @Override
                public String dropout(DropoutLayer dropout) {
                    return input; // dropout passes its input through at prediction time
                }
            });
        }
        graph.renameLast(current, "output");
        TypeProto inputType = graph.tensorType(precision.onnxType(), "N", features);
        GraphProto.Builder proto = graph.proto.setName("backprop")
                .addInput(ValueInfoProto.newBuilder().setName("input").setType(inputType))
                .addOutput(ValueInfoProto.newBuilder().setName("output")
                        .setType(graph.tensorType(precision.onnxType(), "N", model.network().outputSize())));
        if (model.isClassifier()) {
            classOutputs(graph, model);
            proto.addOutput(ValueInfoProto.newBuilder().setName("class").setType(graph.tensorType(TensorProto.DataType.INT64_VALUE, "N")));
            proto.addOutput(ValueInfoProto.newBuilder().setName("label").setType(graph.tensorType(TensorProto.DataType.STRING_VALUE, "N")));
        }
        ModelProto.Builder result = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName(PRODUCER)
                .setProducerVersion(Versions.sdk())
                .setModelVersion(1)
                .setDocString("A feed-forward network exported by the Backprop SDK.")
                .setGraph(proto);
        metadata(result, model, precision);
        return result.build();
    }

    private static String activation(Graph graph, ActivationLayer layer, int k, String input) {
        Activation activation = layer.activation();
        if (!(activation instanceof ExportableActivation exportable)) {
            throw new BackpropException(ErrorCode.ONNX_EXPORT_UNSUPPORTED, "layers[" + k + "] " + layer.describe()
                    + ": activation plugin '" + layer.activationName() + "' (" + activation.getClass().getName()
                    + ") does not say how it exports to ONNX (it would implement " + ExportableActivation.class.getName()
                    + "); nothing was written.");
        }
        List<ExportableActivation.Step> steps;
        try {
            steps = exportable.exportSteps();
        } catch (RuntimeException e) {
            throw new BackpropException(ErrorCode.ONNX_EXPORT_UNSUPPORTED, "layers[" + k + "] " + layer.describe()
                    + ": activation plugin '" + layer.activationName() + "' threw in exportSteps(): " + e, e);
        }
        if (steps == null || steps.isEmpty()) {
            throw new BackpropException(ErrorCode.ONNX_EXPORT_UNSUPPORTED, "layers[" + k + "] " + layer.describe()
                    + ": activation plugin '" + layer.activationName() + "' returned no export steps.");
        }
        String at = "layers[" + k + "] " + layer.describe() + ": activation plugin '" + layer.activationName() + "'";
        List<String> results = new ArrayList<>();
        for (int s = 0; s < steps.size(); s++) {
            ExportableActivation.Step step = steps.get(s);
            String name = "layers." + k + (steps.size() == 1 ? "" : ".step" + s);
            String previous = s == 0 ? input : results.get(s - 1);
            if (step.operator().equals("LeakyRelu") && step.inputs().size() == 1 && graph.precision == Precision.FLOAT64) {
                results.add(leakyRelu(graph, step, name, operand(graph, step.inputs().get(0), input, previous, results, name + ".in", at)));
                continue;
            }
            List<String> inputs = new ArrayList<>();
            for (int i = 0; i < step.inputs().size(); i++) {
                inputs.add(operand(graph, step.inputs().get(i), input, previous, results, name + ".in" + i, at + ", step " + s));
            }
            results.add(graph.node(step.operator(), inputs, name, step.attributes()));
        }
        return results.get(results.size() - 1);
    }

    private static String operand(Graph graph, ExportableActivation.Operand operand, String input, String previous, List<String> results,
            String constantName, String at) {
        return switch (operand.kind()) {
            case INPUT -> input;
            case PREVIOUS -> previous;
            case CONSTANT -> graph.scalar(constantName, operand.constant());
            case STEP -> {
                if (operand.step() < 0 || operand.step() >= results.size()) {
                    throw new BackpropException(ErrorCode.ONNX_EXPORT_UNSUPPORTED, at + " refers to step " + operand.step()
                            + ", which is not an earlier step; nothing was written.");
                }
                yield results.get(operand.step());
            }
        };
    }

    /**
     * LeakyRelu's {@code alpha} is a 32-bit attribute and ONNX Runtime has no float64 kernel for it, so at
     * float64 it is written as {@code Where(x > 0, x, x * alpha)} with {@code alpha} a float64 constant:
     * the exact function the SDK computes.
     */
    private static String leakyRelu(Graph graph, ExportableActivation.Step step, String name, String input) {
        Object alphaValue = step.attributes().getOrDefault("alpha", 0.01);
        if (!(alphaValue instanceof Number alpha)) {
            throw new BackpropException(ErrorCode.ONNX_EXPORT_UNSUPPORTED, name + ": LeakyRelu's alpha must be a number, got " + alphaValue + ".");
        }
        String zero = graph.scalar(name + ".zero", 0.0);
        String positive = graph.node("Greater", List.of(input, zero), name + ".positive", Map.of());
        String scaled = graph.node("Mul", List.of(input, graph.scalar(name + ".alpha", alpha.doubleValue())), name + ".scaled", Map.of());
        return graph.node("Where", List.of(positive, input, scaled), name, Map.of());
    }

    /** {@code class}: the index of the largest output, or for one output whether it is at least 0.5; {@code label}: its name. */
    private static void classOutputs(Graph graph, Model model) {
        if (model.network().outputSize() == 1) {
            String atLeast = graph.node("GreaterOrEqual", List.of("output", graph.scalar("class.threshold", 0.5)), "class.positive", Map.of());
            String asInt = graph.node("Cast", List.of(atLeast), "class.index", Map.of("to", (long) TensorProto.DataType.INT64_VALUE));
            graph.node("Squeeze", List.of(asInt, graph.longs("class.axes", new long[] {1})), "class", Map.of());
        } else {
            graph.node("ArgMax", List.of("output"), "class", Map.of("axis", 1L, "keepdims", 0L));
        }
        TensorProto.Builder names = TensorProto.newBuilder().setName("class.names").setDataType(TensorProto.DataType.STRING_VALUE)
                .addDims(model.classes().size());
        for (String c : model.classes()) {
            names.addStringData(ByteString.copyFromUtf8(c));
        }
        graph.proto.addInitializer(names);
        graph.node("Gather", List.of("class.names", "class"), "label", Map.of("axis", 0L));
    }

    private static void metadata(ModelProto.Builder result, Model model, Precision precision) {
        put(result, MetadataKeys.FEATURES, json(model.features()));
        put(result, MetadataKeys.TARGETS, json(model.targets()));
        if (model.isClassifier()) {
            put(result, MetadataKeys.CLASSES, json(model.classes()));
            put(result, MetadataKeys.LABEL, model.label());
        }
        put(result, MetadataKeys.LOSS, model.loss());
        if (model.normalizer() != null) {
            put(result, MetadataKeys.NORMALIZATION, model.normalizer().method());
        }
        put(result, MetadataKeys.PRECISION, precision.label());
        put(result, MetadataKeys.SDK_VERSION, Versions.sdk());
    }

    private static void put(ModelProto.Builder result, String key, String value) {
        result.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
    }

    private static String json(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The graph under construction: nodes in order, initializers in the chosen precision. */
    private static final class Graph {
        final Precision precision;
        final GraphProto.Builder proto = GraphProto.newBuilder();

        Graph(Precision precision) {
            this.precision = precision;
        }

        String node(String op, List<String> inputs, String output, Map<String, Object> attributes) {
            NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(inputs).addOutput(output);
            attributes.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> node.addAttribute(attribute(output, e.getKey(), e.getValue())));
            proto.addNode(node);
            return output;
        }

        /** Renames the tensor the last node produced (or adds an Identity when there is no node yet). */
        void renameLast(String current, String name) {
            int last = proto.getNodeCount() - 1;
            if (last < 0 || !proto.getNode(last).getOutput(0).equals(current)) {
                node("Identity", List.of(current), name, Map.of());
                return;
            }
            proto.setNode(last, proto.getNode(last).toBuilder().setOutput(0, name));
        }

        String matrix(String name, double[][] rows) {
            TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(precision.onnxType())
                    .addDims(rows.length).addDims(rows[0].length);
            ByteBuffer bytes = buffer(rows.length * rows[0].length);
            for (double[] row : rows) {
                for (double v : row) {
                    precision.put(bytes, v);
                }
            }
            proto.addInitializer(tensor.setRawData(ByteString.copyFrom(bytes.flip())));
            return name;
        }

        String vector(String name, double[] values) {
            ByteBuffer bytes = buffer(values.length);
            for (double v : values) {
                precision.put(bytes, v);
            }
            proto.addInitializer(TensorProto.newBuilder().setName(name).setDataType(precision.onnxType()).addDims(values.length)
                    .setRawData(ByteString.copyFrom(bytes.flip())));
            return name;
        }

        String scalar(String name, double value) {
            ByteBuffer bytes = buffer(1);
            precision.put(bytes, value);
            proto.addInitializer(TensorProto.newBuilder().setName(name).setDataType(precision.onnxType())
                    .setRawData(ByteString.copyFrom(bytes.flip())));
            return name;
        }

        String longs(String name, long[] values) {
            TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                    .addDims(values.length);
            for (long v : values) {
                tensor.addInt64Data(v);
            }
            proto.addInitializer(tensor);
            return name;
        }

        private ByteBuffer buffer(int count) {
            return ByteBuffer.allocate(count * precision.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        }

        TypeProto tensorType(int elementType, Object... dims) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            for (Object d : dims) {
                shape.addDim(d instanceof String param ? TensorShapeProto.Dimension.newBuilder().setDimParam(param)
                        : TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
            }
            return TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elementType).setShape(shape)).build();
        }

        private static AttributeProto attribute(String node, String name, Object value) {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
            if (value instanceof Long || value instanceof Integer) {
                a.setType(AttributeProto.AttributeType.INT).setI(((Number) value).longValue());
            } else if (value instanceof Double || value instanceof Float) {
                a.setType(AttributeProto.AttributeType.FLOAT).setF(((Number) value).floatValue());
            } else if (value instanceof String s) {
                a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFrom(s, StandardCharsets.UTF_8));
            } else if (value instanceof long[] longs) {
                a.setType(AttributeProto.AttributeType.INTS);
                for (long v : longs) {
                    a.addInts(v);
                }
            } else if (value instanceof double[] doubles) {
                a.setType(AttributeProto.AttributeType.FLOATS);
                for (double v : doubles) {
                    a.addFloats((float) v);
                }
            } else {
                throw new BackpropException(ErrorCode.ONNX_EXPORT_UNSUPPORTED, node + ": attribute '" + name
                        + "' has a value of type " + (value == null ? "null" : value.getClass().getName())
                        + "; allowed: Long, Integer, Double, String, long[], double[].");
            }
            return a.build();
        }
    }
}
