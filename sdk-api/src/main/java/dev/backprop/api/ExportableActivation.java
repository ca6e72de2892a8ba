package dev.backprop.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Optional: an {@link Activation} that can say how it is written to an ONNX graph, as a short program of
 * standard ONNX operators (default domain). Only JDK types are used, so this API stays free of any ONNX
 * library; the exporter ({@code dev.backprop.onnx}) turns the steps into graph nodes. An activation that
 * does not implement this interface cannot be exported, and the exporter says so, naming the plugin and
 * the layer.
 *
 * <p>The steps run in order; each names an operator, its {@link Operand operands} and its attributes, and
 * the last step's result is the activation's output. An operand is the activation's input {@code x} (a
 * {@code [N, units]} tensor), the result of an earlier step, or a scalar constant. {@link Step#of(String)}
 * is the common case: a unary operator applied to the previous step's result ({@code x} for the first).
 * For example {@code 2 * sigmoid(x) - 1} is
 * <pre>{@code
 * List.of(Step.of("Sigmoid"),
 *         Step.of("Mul", List.of(Operand.previous(), Operand.constant(2)), Map.of()),
 *         Step.of("Sub", List.of(Operand.previous(), Operand.constant(1)), Map.of()))
 * }</pre>
 * The steps must compute what {@link Activation#forward} computes. They are written as given, at the
 * precision the user chose; use operators the target runtime has at that precision.
 */
public interface ExportableActivation {

    /** @return the steps, never empty */
    List<Step> exportSteps();

    /**
     * One ONNX operator.
     *
     * @param operator the ONNX operator type, for example {@code "Tanh"} or {@code "Add"}
     * @param inputs its operands, in the operator's input order
     * @param attributes its attributes: {@link Long}/{@link Integer} (ONNX {@code INT}), {@link Double}
     *     (ONNX {@code FLOAT}, which is 32-bit), {@link String}, {@code long[]} or {@code double[]}; empty
     *     for none
     */
    record Step(String operator, List<Operand> inputs, Map<String, Object> attributes) {
        /**
         * Checks and copies.
         *
         * @param operator the ONNX operator type
         * @param inputs its operands
         * @param attributes its attributes
         */
        public Step {
            Objects.requireNonNull(operator, "operator");
            inputs = List.copyOf(inputs);
            attributes = Map.copyOf(attributes);
        }

        /**
         * @param operator an ONNX operator type
         * @return that operator applied to the previous step's result, without attributes
         */
        public static Step of(String operator) {
            return new Step(operator, List.of(Operand.previous()), Map.of());
        }

        /**
         * @param operator an ONNX operator type
         * @param attributes its attributes
         * @return that operator applied to the previous step's result
         */
        public static Step of(String operator, Map<String, Object> attributes) {
            return new Step(operator, List.of(Operand.previous()), attributes);
        }

        /**
         * @param operator an ONNX operator type
         * @param inputs its operands
         * @param attributes its attributes
         * @return the step
         */
        public static Step of(String operator, List<Operand> inputs, Map<String, Object> attributes) {
            return new Step(operator, inputs, attributes);
        }
    }

    /**
     * An operand of a {@link Step}.
     *
     * @param kind what it refers to
     * @param step for {@link Kind#STEP}, the index of an earlier step
     * @param constant for {@link Kind#CONSTANT}, the value (written at the graph's precision)
     */
    record Operand(Kind kind, int step, double constant) {
        /** What an operand refers to. */
        public enum Kind {
            /** The activation's input. */
            INPUT,
            /** The previous step's result ({@code x} for the first step). */
            PREVIOUS,
            /** The result of the step with index {@code step}. */
            STEP,
            /** A scalar constant. */
            CONSTANT
        }

        /**
         * Checks.
         *
         * @param kind what it refers to
         * @param step the index of an earlier step, for {@link Kind#STEP}
         * @param constant the value, for {@link Kind#CONSTANT}
         */
        public Operand {
            Objects.requireNonNull(kind, "kind");
        }

        /** @return the activation's input */
        public static Operand input() {
            return new Operand(Kind.INPUT, -1, 0);
        }

        /** @return the previous step's result */
        public static Operand previous() {
            return new Operand(Kind.PREVIOUS, -1, 0);
        }

        /**
         * @param index the index of an earlier step
         * @return that step's result
         */
        public static Operand step(int index) {
            return new Operand(Kind.STEP, index, 0);
        }

        /**
         * @param value a number
         * @return a scalar constant
         */
        public static Operand constant(double value) {
            return new Operand(Kind.CONSTANT, -1, value);
        }
    }
}
