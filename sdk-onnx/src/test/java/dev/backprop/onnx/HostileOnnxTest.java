package dev.backprop.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.model.Model;
import dev.backprop.core.plugin.PluginRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile ONNX files (truncated, of another format, wrong types, cycles, unknown operators, huge claimed
 * dimensions, external data, protobuf nesting bombs, random corruption) give one {@link ErrorCode#ONNX_INVALID}
 * error naming the file and what is wrong, quickly, and never another exception.
 */
class HostileOnnxTest {
    static final PluginRegistry REGISTRY = OnnxRuntimeAgreementTest.REGISTRY;
    static final Model MODEL = RoundTripTest.everyActivation(4, true);
    static final byte[] VALID = OnnxExporter.export(MODEL, Precision.FLOAT64);

    @TempDir
    Path dir;

    static BackpropException refused(byte[] bytes, String... details) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> OnnxImporter.parse(bytes, Path.of("hostile.onnx"), REGISTRY));
        assertThat(thrown).isInstanceOf(BackpropException.class);
        BackpropException e = (BackpropException) thrown;
        assertThat(e.code()).isEqualTo(ErrorCode.ONNX_INVALID);
        assertThat(e.getMessage()).startsWith("[" + ErrorCode.ONNX_INVALID.id() + "] hostile.onnx: ");
        for (String detail : details) {
            assertThat(e.getMessage()).contains(detail);
        }
        return e;
    }

    static byte[] edit(UnaryOperator<ModelProto.Builder> change) {
        try {
            return change.apply(ModelProto.parseFrom(VALID).toBuilder()).build().toByteArray();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    static int nodeIndex(GraphProto.Builder graph, String name) {
        for (int i = 0; i < graph.getNodeCount(); i++) {
            if (graph.getNode(i).getName().equals(name)) {
                return i;
            }
        }
        throw new AssertionError(name);
    }

    static int initializerIndex(GraphProto.Builder graph, String name) {
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            if (graph.getInitializer(i).getName().equals(name)) {
                return i;
            }
        }
        throw new AssertionError(name);
    }

    @Test
    void theValidFileImports() {
        assertThat(OnnxImporter.parse(VALID, Path.of("ok.onnx"), REGISTRY).network().outputSize()).isEqualTo(3);
    }

    @Test
    void truncatedFilesAreRefusedOrReadWhole() {
        int refusedCount = 0;
        for (int length = 0; length < VALID.length; length += 13) {
            byte[] cut = Arrays.copyOf(VALID, length);
            try {
                Model model = OnnxImporter.parse(cut, Path.of("hostile.onnx"), REGISTRY);
                // A cut at a field boundary leaves a shorter, well-formed message (for example without the last metadata).
                assertThat(model.network().outputSize()).isEqualTo(3);
            } catch (BackpropException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.ONNX_INVALID);
                refusedCount++;
            }
        }
        assertThat(refusedCount).isGreaterThan(VALID.length / 13 * 9 / 10);
        refused(Arrays.copyOf(VALID, VALID.length / 2), "not a readable ONNX (protobuf) model", "truncated");
    }

    @Test
    void filesOfAnotherFormatAreRefused() {
        refused("{\"format\": \"backprop-model\"}".getBytes(StandardCharsets.UTF_8));
        refused(new byte[0], "no graph nodes");
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        refused(noise);
    }

    @Test
    void wrongTypesAreRefused() {
        refused(edit(m -> {
            GraphProto.Builder g = m.getGraphBuilder();
            int i = initializerIndex(g, "layers.0.weight");
            g.setInitializer(i, g.getInitializer(i).toBuilder().setDataType(TensorProto.DataType.INT32_VALUE));
            return m;
        }), "node 'layers.0' (Gemm)", "'layers.0.weight' is a int32 tensor; supported: float, double");
        refused(edit(m -> {
            m.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().setElemType(TensorProto.DataType.INT64_VALUE);
            return m;
        }), "graph.input 'input'", "element type int64");
        refused(edit(m -> {
            GraphProto.Builder g = m.getGraphBuilder();
            int i = nodeIndex(g, "layers.0");
            g.setNode(i, g.getNode(i).toBuilder().setAttribute(0, AttributeProto.newBuilder().setName("transB")
                    .setType(AttributeProto.AttributeType.FLOAT).setF(1)));
            return m;
        }), "node 'layers.0' (Gemm)", "attribute 'transB' must be an INT");
    }

    @Test
    void aCycleIsRefused() {
        refused(edit(m -> {
            GraphProto.Builder g = m.getGraphBuilder();
            int i = nodeIndex(g, "layers.0");
            g.setNode(i, g.getNode(i).toBuilder().setInput(0, "layers.3"));
            return m;
        }), "cycle");
    }

    @Test
    void unknownOperatorsAreRefusedNamingTheNode() {
        refused(edit(m -> {
            GraphProto.Builder g = m.getGraphBuilder();
            int i = nodeIndex(g, "layers.5");
            g.setNode(i, g.getNode(i).toBuilder().setOpType("Conv"));
            return m;
        }), "node 'layers.5' (Conv)", "operator 'Conv' is not supported", "Supported operators: Gemm, MatMul");
        refused(edit(m -> {
            GraphProto.Builder g = m.getGraphBuilder();
            int i = nodeIndex(g, "layers.1");
            g.setNode(i, g.getNode(i).toBuilder().setOpType("Relu").setDomain("com.example"));
            return m;
        }), "node 'layers.1' (Relu)", "of domain 'com.example'");
    }

    @Test
    void hugeClaimedDimensionsAreRefusedBeforeAnythingIsAllocated() {
        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofMinutes(5), () -> refused(edit(m -> {
            GraphProto.Builder g = m.getGraphBuilder();
            int i = initializerIndex(g, "layers.0.weight");
            g.setInitializer(i, g.getInitializer(i).toBuilder().setDims(0, 1L << 40).setDims(1, 1L << 40));
            return m;
        }), "initializer 'layers.0.weight'", "claims dimensions [1099511627776, 1099511627776]"))).isNotNull();
        refused(edit(m -> {
            GraphProto.Builder g = m.getGraphBuilder();
            int i = initializerIndex(g, "layers.0.weight");
            g.setInitializer(i, g.getInitializer(i).toBuilder().setDims(0, 10_000).setDims(1, 10_000));
            return m;
        }), "initializer 'layers.0.weight'", "claims 100000000 double values but carries");
        refused(edit(m -> {
            GraphProto.Builder g = m.getGraphBuilder();
            int i = initializerIndex(g, "layers.0.weight");
            g.setInitializer(i, g.getInitializer(i).toBuilder().setDims(0, -5));
            return m;
        }), "claims dimensions [-5");
        refused(edit(m -> {
            m.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(1)
                    .setDimValue(1L << 50);
            return m;
        }), "claims 1125899906842624 features");
    }

    @Test
    void externalDataAndMissingConstantsAreRefused() {
        refused(edit(m -> {
            GraphProto.Builder g = m.getGraphBuilder();
            int i = initializerIndex(g, "layers.0.weight");
            g.setInitializer(i, g.getInitializer(i).toBuilder().setDataLocation(TensorProto.DataLocation.EXTERNAL).clearRawData());
            return m;
        }), "external file");
        refused(edit(m -> {
            GraphProto.Builder g = m.getGraphBuilder();
            g.removeInitializer(initializerIndex(g, "layers.2.weight"));
            return m;
        }), "node 'layers.2' (Gemm)");
        refused(edit(m -> {
            GraphProto.Builder g = m.getGraphBuilder();
            int i = nodeIndex(g, "layers.2");
            g.setNode(i, g.getNode(i).toBuilder().setInput(0, "nowhere"));
            return m;
        }), "tensor 'nowhere'", "is neither the graph input 'input' nor produced by any node");
    }

    @Test
    void aTensorProducedTwiceAndAGraphWithoutLayersAreRefused() {
        refused(edit(m -> {
            GraphProto.Builder g = m.getGraphBuilder();
            g.addNode(NodeProto.newBuilder().setOpType("Relu").setName("again").addInput("input").addOutput("layers.0"));
            return m;
        }), "tensor 'layers.0' is produced by two nodes");
        refused(edit(m -> {
            GraphProto.Builder g = m.getGraphBuilder();
            g.clearNode().addNode(NodeProto.newBuilder().setOpType("Relu").setName("only").addInput("input").addOutput("output"));
            return m;
        }), "has no Gemm or MatMul layer");
    }

    @Test
    void aProtobufNestingBombIsRefused() {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("bottom");
        for (int depth = 0; depth < 200; depth++) {
            graph = GraphProto.newBuilder().addNode(NodeProto.newBuilder().setOpType("If")
                    .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH).setG(graph)));
        }
        byte[] bomb = ModelProto.newBuilder().setIrVersion(7).setGraph(graph).build().toByteArray();
        refused(bomb, "not a readable ONNX (protobuf) model");
    }

    @Test
    void aMissingFileIsAnIoError() {
        assertThatThrownBy(() -> OnnxImporter.read(dir.resolve("none.onnx"), REGISTRY))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_FAILED));
    }

    @Test
    void aFileOnDiskIsReadWithItsNameInTheMessage() throws Exception {
        Path file = dir.resolve("bad.onnx");
        Files.write(file, Arrays.copyOf(VALID, 100));
        assertThatThrownBy(() -> OnnxImporter.read(file, REGISTRY)).hasMessageContaining(file + ": ");
    }

    @Property(tries = 300)
    void randomCorruptionGivesAModelOrOneClearError(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        Random random = new Random(seed);
        byte[] bytes = VALID.clone();
        int edits = 1 + random.nextInt(8);
        for (int e = 0; e < edits; e++) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        if (random.nextBoolean()) {
            bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
        }
        long start = System.nanoTime();
        try {
            OnnxImporter.parse(bytes, Path.of("hostile.onnx"), REGISTRY);
        } catch (BackpropException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.ONNX_INVALID);
            assertThat(e.getMessage()).startsWith("[BP-701] hostile.onnx: ");
        }
        // a hang detector only (a case parses in milliseconds): generous enough for a machine at load 10
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofMinutes(1).toNanos());
    }

}
