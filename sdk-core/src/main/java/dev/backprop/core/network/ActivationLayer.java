package dev.backprop.core.network;

import dev.backprop.api.Activation;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.TrainableParameter;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies an {@link Activation} to the net inputs of the preceding layer: {@code out = f(in)}, with as
 * many outputs as inputs.
 */
public final class ActivationLayer extends Layer {
    private final String name;
    private final Map<String, Object> parameters;
    private final Activation activation;
    private final int size;

    /**
     * @param name the plugin name of the activation, kept for model files and messages
     * @param parameters the plugin parameters the activation was created with, for model files
     * @param activation the activation
     * @param size the number of units
     */
    public ActivationLayer(String name, Map<String, Object> parameters, Activation activation, int size) {
        if (size < 1) {
            throw new BackpropException(ErrorCode.NETWORK_INVALID, "An activation layer needs at least one unit, got " + size + ".");
        }
        this.name = Objects.requireNonNull(name, "name");
        this.parameters = Map.copyOf(parameters);
        this.activation = Objects.requireNonNull(activation, "activation");
        this.size = size;
    }

    /** @return the plugin name of the activation */
    public String activationName() {
        return name;
    }

    /** @return the plugin parameters the activation was created with */
    public Map<String, Object> activationParameters() {
        return parameters;
    }

    /** @return the activation */
    public Activation activation() {
        return activation;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.activation(this);
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public String describe() {
        return name + "(" + size + ")";
    }

    @Override
    void forward(double[] in, double[] out, int rows, Workspace workspace, int index) {
        activation.forward(in, out, rows, size);
    }

    @Override
    void backward(double[] in, double[] out, double[] gradOut, double[] gradIn, int rows, Workspace workspace, int index) {
        if (gradIn != null) {
            activation.backward(in, out, gradOut, gradIn, rows, size);
        }
    }

    @Override
    List<TrainableParameter> trainableParameters() {
        return List.of();
    }

    @Override
    ActivationLayer copy() {
        // Activations hold immutable configuration only (see the SPI contract), so sharing is safe.
        return new ActivationLayer(name, parameters, activation, size);
    }
}
