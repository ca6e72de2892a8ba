package dev.backprop.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Optional: an {@link Activation} that can say how it is written to an ONNX graph, as a chain of
 * standard ONNX operators (default domain). Only JDK types are used, so this API stays free of any ONNX
 * library; the exporter ({@code dev.backprop.onnx}) turns the chain into graph nodes. An activation that
 * does not implement this interface cannot be exported, and the exporter says so, naming the plugin and
 * the layer.
 *
 * <p>Each {@link Step} is applied to the output of the step before it (the first to the activation's
 * input, a {@code [N, units]} tensor), so the chain computes {@code f(x) = step_n(...step_1(x))}. A step
 * with a {@link Step#constant() constant} is a binary operator whose second input is that scalar (for
 * example {@code Mul} by 0.5). The chain must compute what {@link Activation#forward} computes.
 */
public interface ExportableActivation {

    /** @return the operator chain, never empty */
    List<Step> exportSteps();

    /**
     * One ONNX operator applied to the previous step's output.
     *
     * @param operator the ONNX operator type, for example {@code "Tanh"} or {@code "LeakyRelu"}
     * @param attributes the operator's attributes: {@link Long}/{@link Integer} (ONNX {@code INT}),
     *     {@link Double} (ONNX {@code FLOAT}, which is 32-bit), {@link String}, {@code long[]} or
     *     {@code double[]}; empty for none
     * @param constant the second operand of a binary operator, or {@code null} for a unary one
     */
    record Step(String operator, Map<String, Object> attributes, Double constant) {
        /** Checks and copies. */
        public Step {
            Objects.requireNonNull(operator, "operator");
            attributes = Map.copyOf(attributes);
        }

        /**
         * @param operator an ONNX operator type
         * @return a unary step without attributes
         */
        public static Step of(String operator) {
            return new Step(operator, Map.of(), null);
        }

        /**
         * @param operator an ONNX operator type
         * @param attributes its attributes
         * @return a unary step with those attributes
         */
        public static Step of(String operator, Map<String, Object> attributes) {
            return new Step(operator, attributes, null);
        }
    }
}
