package dev.backprop.api;

/**
 * Base class for activations applied to each unit independently, {@code y = f(net)}. Subclasses give
 * the function and its derivative; the derivative receives both the net input and the output so that
 * functions like the sigmoid can use the cheap form {@code f'(net) = y (1 - y)} (docs/derivation.md §5).
 */
public abstract class ElementwiseActivation implements Activation {

    /** Creates an element-wise activation. */
    protected ElementwiseActivation() {
    }

    /**
     * @param net a net input
     * @return {@code f(net)}
     */
    public abstract double apply(double net);

    /**
     * @param net a net input
     * @param out {@code f(net)}, as computed by {@link #apply(double)}
     * @return {@code f'(net)}
     */
    public abstract double derivative(double net, double out);

    @Override
    public void forward(double[] net, double[] out, int rows, int cols) {
        int n = rows * cols;
        for (int i = 0; i < n; i++) {
            out[i] = apply(net[i]);
        }
    }

    @Override
    public void backward(double[] net, double[] out, double[] gradOut, double[] gradNet, int rows, int cols) {
        int n = rows * cols;
        for (int i = 0; i < n; i++) {
            gradNet[i] = derivative(net[i], out[i]) * gradOut[i];
        }
    }
}
