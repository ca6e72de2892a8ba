package dev.backprop.core.network;

import dev.backprop.api.TrainableParameter;
import java.util.List;

/**
 * One layer of a {@link Network}. As in docs/derivation.md §1, linear ({@link DenseLayer}) and activation
 * ({@link ActivationLayer}) layers are separate: a dense layer computes net inputs, an activation layer
 * applies the transfer function to them.
 */
public abstract sealed class Layer permits DenseLayer, ActivationLayer, DropoutLayer {

    Layer() {
    }

    /** @return the number of values this layer reads per example */
    public abstract int inputSize();

    /** @return the number of values this layer produces per example */
    public abstract int outputSize();

    /**
     * What each layer kind has to offer the code that handles every kind: the model file's codec, an
     * exporter, a trace. A new kind of layer adds a method here, and the compiler then names every place
     * that must handle it.
     *
     * @param <R> what the visitor returns
     */
    public interface Visitor<R> {
        /**
         * @param layer a dense (linear) layer
         * @return the visitor's result
         */
        R dense(DenseLayer layer);

        /**
         * @param layer an activation layer
         * @return the visitor's result
         */
        R activation(ActivationLayer layer);

        /**
         * @param layer a dropout layer
         * @return the visitor's result
         */
        R dropout(DropoutLayer layer);
    }

    /**
     * @param visitor what to do with each kind of layer
     * @param <R> what the visitor returns
     * @return the visitor's result for this layer
     */
    public abstract <R> R accept(Visitor<R> visitor);

    /** @return a short description for messages, for example {@code dense(2 -> 3, bias)} */
    public abstract String describe();

    /**
     * Forward pass over a batch.
     *
     * @param in the inputs, {@code rows x inputSize()}
     * @param out receives the outputs, {@code rows x outputSize()}
     * @param rows the batch size
     * @param workspace scratch space and threads of the calling pass
     * @param index this layer's index in the network
     */
    abstract void forward(double[] in, double[] out, int rows, Workspace workspace, int index);

    /**
     * Backward pass over the batch of the preceding {@link #forward} call: writes the gradients of this
     * layer's parameters and, unless {@code gradIn} is {@code null}, the gradient with respect to the input.
     *
     * @param in the inputs given to forward
     * @param out the outputs forward produced
     * @param gradOut {@code dE/d out}, one row per example, not divided by the batch size (the pass
     *     divides the summed parameter gradients once, docs/derivation.md §7)
     * @param gradIn receives {@code dE/d in}, or {@code null} if nobody needs it (the first layer)
     * @param rows the batch size
     * @param workspace scratch space and threads of the calling pass
     * @param index this layer's index in the network
     */
    abstract void backward(double[] in, double[] out, double[] gradOut, double[] gradIn, int rows, Workspace workspace, int index);

    /** @return the trainable parameters of this layer, empty for activation layers */
    abstract List<TrainableParameter> trainableParameters();

    /** @return an independent copy with the same configuration and values */
    abstract Layer copy();
}
