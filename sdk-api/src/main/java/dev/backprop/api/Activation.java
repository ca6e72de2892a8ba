package dev.backprop.api;

/**
 * The transfer function of an activation layer (docs/derivation.md §1: activation layers are kept separate from
 * linear layers). An activation maps the vector of net inputs of one example to a vector of outputs of
 * the same length, and back-propagates a gradient through that map. It need not be element-wise:
 * softmax couples all units of a row.
 *
 * <h2>Shapes</h2>
 * The engine works on mini-batches stored row-major in flat {@code double[]} arrays: {@code rows}
 * examples of {@code cols} units, element {@code (r, c)} at index {@code r * cols + c}. Arrays may be
 * longer than {@code rows * cols}; only that prefix is meaningful.
 *
 * <h2>Calls</h2>
 * For each training step the engine calls {@link #forward} once per batch, then {@link #backward}
 * once with the same {@code net} and {@code out} arrays, unmodified. For prediction only
 * {@link #forward} is called.
 *
 * <h2>State and threads</h2>
 * The engine creates one instance per activation layer and may call {@link #forward} from many threads
 * at once (a trained network serves predictions concurrently). Implementations must therefore hold
 * only immutable configuration: no caches between calls, no scratch fields.
 *
 * <p>For the common element-wise case extend {@link ElementwiseActivation}.
 */
public interface Activation {

    /**
     * Computes the outputs {@code out = f(net)} row by row.
     *
     * @param net the net inputs, {@code rows x cols}; must not be modified
     * @param out receives the outputs, {@code rows x cols}
     * @param rows the number of examples in the batch
     * @param cols the number of units
     */
    void forward(double[] net, double[] out, int rows, int cols);

    /**
     * Back-propagates through the activation: for each row, {@code gradNet = J^T gradOut} where
     * {@code J[i][j] = d out[i] / d net[j]} is the Jacobian at that row. For an element-wise function
     * this is {@code gradNet[i] = f'(net[i]) * gradOut[i]}.
     *
     * @param net the net inputs given to the preceding {@link #forward} call
     * @param out the outputs that call produced
     * @param gradOut the gradient of the loss with respect to the outputs, {@code rows x cols}
     * @param gradNet receives the gradient of the loss with respect to the net inputs; never the same
     *     array as {@code gradOut}
     * @param rows the number of examples in the batch
     * @param cols the number of units
     */
    void backward(double[] net, double[] out, double[] gradOut, double[] gradNet, int rows, int cols);
}
