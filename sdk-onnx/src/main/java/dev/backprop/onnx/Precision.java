package dev.backprop.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.ByteBuffer;
import java.util.Locale;

/** The element type of an exported graph. */
public enum Precision {
    /** 32-bit floats ({@code tensor(float)}), what serving stacks expect. */
    FLOAT32,
    /** 64-bit floats ({@code tensor(double)}), the SDK's own precision: predictions agree to rounding. */
    FLOAT64;

    /**
     * @param text {@code float32} or {@code float64} (any case)
     * @return the precision
     * @throws IllegalArgumentException for anything else
     */
    public static Precision parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "float32" -> FLOAT32;
            case "float64" -> FLOAT64;
            default -> throw new IllegalArgumentException("expected float32 or float64, got '" + text + "'");
        };
    }

    /** @return {@code float32} or {@code float64} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    int onnxType() {
        return this == FLOAT32 ? TensorProto.DataType.FLOAT_VALUE : TensorProto.DataType.DOUBLE_VALUE;
    }

    int bytes() {
        return this == FLOAT32 ? Float.BYTES : Double.BYTES;
    }

    void put(ByteBuffer buffer, double value) {
        if (this == FLOAT32) {
            buffer.putFloat((float) value);
        } else {
            buffer.putDouble(value);
        }
    }
}
