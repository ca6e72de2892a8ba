package dev.backprop.api;

import java.util.Objects;

/**
 * One block of trainable values (the weight matrix or the bias vector of a dense layer) together with
 * the gradient of the loss with respect to each value. The engine owns both arrays and fills
 * {@link #gradient()} with {@code dE/dw}, averaged over the mini-batch, before each
 * {@link Optimizer#step()}; the optimizer changes {@link #values()} in place.
 */
public final class TrainableParameter {
    /** What a block of values is, for rules that treat them differently (L2 weight decay spares biases). */
    public enum Kind {
        /** Connection weights of a linear layer. */
        WEIGHTS,
        /** The bias unit's weights of a linear layer. */
        BIAS,
        /** Anything else. */
        OTHER
    }

    private final String name;
    private final Kind kind;
    private final double[] values;
    private final double[] gradient;

    /**
     * @param name a stable, human-readable identifier, for example {@code layers[0].weights}
     * @param values the live values (not copied)
     * @param gradient the live gradient, same length as {@code values} (not copied)
     */
    public TrainableParameter(String name, double[] values, double[] gradient) {
        this(name, Kind.OTHER, values, gradient);
    }

    /**
     * @param name a stable, human-readable identifier, for example {@code layers[0].weights}
     * @param kind what the values are
     * @param values the live values (not copied)
     * @param gradient the live gradient, same length as {@code values} (not copied)
     */
    public TrainableParameter(String name, Kind kind, double[] values, double[] gradient) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.values = Objects.requireNonNull(values, "values");
        this.gradient = Objects.requireNonNull(gradient, "gradient");
        if (values.length != gradient.length) {
            throw new IllegalArgumentException("values and gradient of " + name + " differ in length: "
                    + values.length + " vs " + gradient.length);
        }
    }

    /** @return the identifier, stable for a given network layout */
    public String name() {
        return name;
    }

    /** @return what the values are */
    public Kind kind() {
        return kind;
    }

    /** @return the live values; the optimizer updates them in place */
    public double[] values() {
        return values;
    }

    /** @return the live gradient {@code dE/dw} of the current step; read-only for optimizers */
    public double[] gradient() {
        return gradient;
    }

    /** @return the number of values */
    public int size() {
        return values.length;
    }

    @Override
    public String toString() {
        return name + "[" + values.length + "]";
    }
}
