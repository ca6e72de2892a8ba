package dev.backprop.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import org.junit.jupiter.api.Test;

/**
 * Why the exporter writes LeakyRelu as {@code Where(x > 0, x, x * alpha)} at float64: ONNX Runtime's CPU
 * provider has a LeakyRelu kernel for float only, and its {@code alpha} attribute is 32-bit.
 */
class OnnxRuntimeKernelsTest {

    static byte[] single(String op, int type) {
        TypeProto tensor = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(type)
                .setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(2)))).build();
        GraphProto graph = GraphProto.newBuilder().setName("probe")
                .addNode(NodeProto.newBuilder().setOpType(op).setName("op").addInput("input").addOutput("output")
                        .addAttribute(AttributeProto.newBuilder().setName("alpha").setType(AttributeProto.AttributeType.FLOAT).setF(0.1f)))
                .addInput(ValueInfoProto.newBuilder().setName("input").setType(tensor))
                .addOutput(ValueInfoProto.newBuilder().setName("output").setType(tensor)).build();
        return ModelProto.newBuilder().setIrVersion(OnnxExporter.IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(OnnxExporter.OPSET)).setGraph(graph).build().toByteArray();
    }

    @Test
    void leakyReluHasAFloatKernelOnly() throws Exception {
        double[][] rows = {{-2, 3}};
        assertThat(Ort.run(single("LeakyRelu", TensorProto.DataType.FLOAT_VALUE), rows).output()[0])
                .containsExactly((double) (-2 * 0.1f), 3.0);
        assertThatThrownBy(() -> Ort.run(single("LeakyRelu", TensorProto.DataType.DOUBLE_VALUE), rows))
                .hasMessageContaining("Could not find an implementation for LeakyRelu");
    }
}
