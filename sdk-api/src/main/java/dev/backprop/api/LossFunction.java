package dev.backprop.api;

/**
 * An error measure between the network's outputs and the targets, for example the squared error
 * {@code E = 1/2 sum_k (d_k - y_k)^2}. Losses are defined per example; the engine averages them over a
 * mini-batch (docs/derivation.md §7), so a loss never divides by the batch size itself.
 *
 * <p>Arrays are row-major batches as described in {@link Activation}: {@code rows} examples of
 * {@code cols} outputs. Implementations must be stateless: one instance may be used from many threads.
 */
public interface LossFunction {

    /**
     * @param output the network outputs, {@code rows x cols}
     * @param target the targets, {@code rows x cols}
     * @param rows the number of examples
     * @param cols the number of outputs per example
     * @return the <em>sum</em> over the rows of the per-example loss
     */
    double loss(double[] output, double[] target, int rows, int cols);

    /**
     * Computes the derivative of each example's loss with respect to each output,
     * {@code dE_r / d output[r][k]} (for squared error: {@code output - target}).
     *
     * @param output the network outputs, {@code rows x cols}
     * @param target the targets, {@code rows x cols}
     * @param gradient receives the derivatives, {@code rows x cols}
     * @param rows the number of examples
     * @param cols the number of outputs per example
     */
    void gradient(double[] output, double[] target, double[] gradient, int rows, int cols);
}
