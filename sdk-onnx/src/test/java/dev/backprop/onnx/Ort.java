package dev.backprop.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Map;
import java.util.Optional;

/** Runs an ONNX model in ONNX Runtime's Java binding (CPU), the independent check of the exporter. */
final class Ort {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    /**
     * @param output {@code output}, widened to double
     * @param classes {@code class}, or {@code null}
     * @param labels {@code label}, or {@code null}
     */
    record Result(double[][] output, long[] classes, String[] labels) {
    }

    private Ort() {
    }

    static Result run(byte[] model, double[][] rows) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = ENV.createSession(model, options)) {
            boolean doubles = session.getInputInfo().get("input").getInfo().toString().contains("DOUBLE");
            Object data = doubles ? rows : narrow(rows);
            try (OnnxTensor input = doubles ? OnnxTensor.createTensor(ENV, (double[][]) data) : OnnxTensor.createTensor(ENV, (float[][]) data);
                    OrtSession.Result result = session.run(Map.of("input", input))) {
                Object out = result.get("output").orElseThrow().getValue();
                double[][] output = out instanceof float[][] f ? widen(f) : (double[][]) out;
                Optional<OnnxValue> classes = result.get("class");
                Optional<OnnxValue> labels = result.get("label");
                return new Result(output, classes.isPresent() ? (long[]) classes.get().getValue() : null,
                        labels.isPresent() ? (String[]) labels.get().getValue() : null);
            }
        }
    }

    static float[][] narrow(double[][] rows) {
        float[][] out = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = new float[rows[r].length];
            for (int c = 0; c < rows[r].length; c++) {
                out[r][c] = (float) rows[r][c];
            }
        }
        return out;
    }

    static double[][] widen(float[][] rows) {
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = new double[rows[r].length];
            for (int c = 0; c < rows[r].length; c++) {
                out[r][c] = rows[r][c];
            }
        }
        return out;
    }
}
