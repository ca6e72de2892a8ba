/**
 * Optional ONNX support: {@link dev.backprop.onnx.OnnxExporter} writes a model as an ONNX graph,
 * {@link dev.backprop.onnx.OnnxImporter} reads a feed-forward ONNX graph back as a model. The only module
 * that depends on protobuf, so the core stays free of it.
 */
module dev.backprop.onnx {
    requires transitive dev.backprop.core;
    requires org.tribuo.util.onnx;
    requires com.google.protobuf;
    requires com.fasterxml.jackson.databind;

    exports dev.backprop.onnx;
}
