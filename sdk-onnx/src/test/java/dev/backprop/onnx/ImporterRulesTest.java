package dev.backprop.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.backprop.core.model.Model;
import dev.backprop.core.network.DenseLayer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The importer's rules, one graph each: what it reads and what it refuses, with the node named. */
class ImporterRulesTest {

    /** A small graph under construction: input [N, 2], float64 initializers given as rows. */
    static final class G {
        final GraphProto.Builder graph = GraphProto.newBuilder().setName("g");
        final List<String> names = new ArrayList<>();

        G() {
            TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.DOUBLE_VALUE)
                    .setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                            .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(2)))).build();
            graph.addInput(ValueInfoProto.newBuilder().setName("input").setType(type));
        }

        G constant(String name, long[] dims, double... values) {
            TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.DOUBLE_VALUE);
            for (long d : dims) {
                t.addDims(d);
            }
            for (double v : values) {
                t.addDoubleData(v);
            }
            graph.addInitializer(t);
            return this;
        }

        G longs(String name, long... values) {
            TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addDims(values.length);
            for (long v : values) {
                t.addInt64Data(v);
            }
            graph.addInitializer(t);
            return this;
        }

        G node(String op, String name, List<String> inputs, AttributeProto... attributes) {
            NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(name);
            for (AttributeProto a : attributes) {
                n.addAttribute(a);
            }
            graph.addNode(n);
            names.add(name);
            return this;
        }

        byte[] bytes() {
            graph.addOutput(ValueInfoProto.newBuilder().setName(names.get(names.size() - 1)));
            return ModelProto.newBuilder().setIrVersion(7).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13))
                    .setGraph(graph).build().toByteArray();
        }

        Model read() {
            return OnnxImporter.parse(bytes(), Path.of("g.onnx"), OnnxRuntimeAgreementTest.REGISTRY);
        }
    }

    static AttributeProto i(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto f(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static G dense() {
        return new G().constant("w", new long[] {3, 2}, 1, 2, 3, 4, 5, 6).constant("b", new long[] {3}, 0.5, -0.5, 1);
    }

    @Test
    void gemmWithTransBZeroAlphaAndBetaScalesAndTransposes() {
        Model m = new G().constant("w", new long[] {2, 3}, 1, 2, 3, 4, 5, 6).constant("b", new long[] {1, 3}, 1, 2, 3)
                .node("Gemm", "d", List.of("input", "w", "b"), f("alpha", 2), f("beta", 0.5f)).read();
        DenseLayer d = (DenseLayer) m.network().layers().get(0);
        assertThat(d.weights()).isDeepEqualTo(new double[][] {{2, 8}, {4, 10}, {6, 12}});
        assertThat(d.bias()).containsExactly(0.5, 1, 1.5);
        assertThat(m.predict(new double[] {1, 1})).containsExactly(10.5, 15, 19.5);
    }

    @Test
    void gemmWithoutBiasAndAScalarBias() {
        assertThat(((DenseLayer) dense().node("Gemm", "d", List.of("input", "w"), i("transB", 1)).read().network().layers().get(0)).hasBias())
                .isFalse();
        Model scalar = new G().constant("w", new long[] {3, 2}, 1, 2, 3, 4, 5, 6).constant("b", new long[] {}, 7)
                .node("Gemm", "d", List.of("input", "w", "b"), i("transB", 1)).read();
        assertThat(((DenseLayer) scalar.network().layers().get(0)).bias()).containsExactly(7, 7, 7);
    }

    @Test
    void matMulThenAddWithTheBiasFirstIsADenseLayer() {
        Model m = new G().constant("w", new long[] {2, 3}, 1, 2, 3, 4, 5, 6).constant("b", new long[] {3}, 1, 1, 1)
                .node("MatMul", "mm", List.of("input", "w")).node("Add", "add", List.of("b", "mm")).node("Tanh", "t", List.of("add")).read();
        assertThat(m.network().layers()).hasSize(2);
        assertThat(m.predict(new double[] {1, 0})).containsExactly(Math.tanh(2), Math.tanh(3), Math.tanh(4));
    }

    @Test
    void flattenAndReshapeThatKeepTheRowsAreNoOps() {
        Model m = dense().longs("shape", 0, -1).node("Flatten", "fl", List.of("input")).node("Gemm", "d", List.of("fl", "w", "b"), i("transB", 1))
                .node("Reshape", "r", List.of("d", "shape")).node("Softmax", "s", List.of("r"), i("axis", 1)).read();
        assertThat(m.network().layers()).hasSize(2);
        assertThat(m.loss()).isEqualTo("cross-entropy");
    }

    static void refused(G g, String... details) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(g::read);
        assertThat(thrown).isInstanceOf(dev.backprop.api.BackpropException.class);
        assertThat(((dev.backprop.api.BackpropException) thrown).code()).isEqualTo(dev.backprop.api.ErrorCode.ONNX_INVALID);
        assertThat(thrown.getMessage()).startsWith("[BP-701] g.onnx: ").contains(details);
    }

    @Test
    void whatChangesTheRowsOrIsNotAChainIsRefused() {
        refused(dense().node("Gemm", "d", List.of("input", "w", "b"), i("transA", 1)), "node 'd' (Gemm)", "transA = 1");
        refused(dense().node("Gemm", "d", List.of("input", "w", "b"), i("transB", 1)).node("Softmax", "s", List.of("d"), i("axis", 0)),
                "node 's' (Softmax)", "axis 0");
        refused(dense().longs("shape", 1, -1).node("Gemm", "d", List.of("input", "w", "b"), i("transB", 1))
                .node("Reshape", "r", List.of("d", "shape")), "node 'r' (Reshape)", "Reshape to [1, -1] changes the [N, 3] rows");
        refused(dense().node("Flatten", "fl", List.of("input"), i("axis", 0)), "node 'fl' (Flatten)", "axis 0");
        refused(dense().node("Gemm", "d", List.of("input", "w", "b"), i("transB", 1)).node("Sub", "late", List.of("d", "b")),
                "node 'late' (Sub)", "only at the front");
        refused(dense().node("Add", "a", List.of("input", "input")), "node 'a' (Add)", "two non-constant inputs");
        refused(dense().node("Gemm", "d", List.of("input", "w", "b"), i("transB", 1)).node("Add", "a", List.of("d", "b")),
                "node 'a' (Add)", "operator 'Add' is not supported here");
        refused(new G().constant("w", new long[] {2, 3}, 1, 2, 3, 4, 5, 6).node("MatMul", "mm", List.of("w", "input")), "node 'mm' (MatMul)",
                "(layer input) x (constant weight matrix");
        refused(dense().node("Gemm", "d", List.of("input", "w", "b")), "node 'd' (Gemm)", "its weights take 3 inputs but the previous layer produces 2");
        refused(new G().constant("w", new long[] {3, 2}, 1, 2, 3, 4, 5, 6).constant("b", new long[] {2}, 1, 2)
                .node("Gemm", "d", List.of("input", "w", "b"), i("transB", 1)), "bias 'b' has shape [2]");
        refused(new G().constant("w", new long[] {3, 2}, 1, 2, 3, Double.NaN, 5, 6)
                .node("Gemm", "d", List.of("input", "w"), i("transB", 1)), "the weights contain NaN");
        refused(new G().constant("s", new long[] {2}, 1, 0).constant("w", new long[] {3, 2}, 1, 2, 3, 4, 5, 6)
                .node("Div", "n", List.of("input", "s")).node("Gemm", "d", List.of("n", "w"), i("transB", 1)), "the normalisation divisor [1] is 0.0");
    }
}
