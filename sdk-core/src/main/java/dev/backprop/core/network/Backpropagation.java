package dev.backprop.core.network;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.LossFunction;
import dev.backprop.api.TrainableParameter;
import dev.backprop.core.linalg.Parallel;
import java.util.Arrays;
import java.util.List;

/**
 * One forward and one backward pass over a mini-batch, with buffers allocated once for a network and a
 * largest batch size. This is the whole learning rule of {@code docs/derivation.md}, step by step:
 * <ol>
 *   <li>forward: each layer's output from its input ({@code net_j = sum_i w_ji y_i + b_j},
 *       {@code y_j = f(net_j)});</li>
 *   <li>the output gradient {@code dE/dy} from the loss, one row per example;</li>
 *   <li>backward, last layer first: an activation layer turns {@code dE/dy} into
 *       {@code delta = dE/dnet = f'(net) dE/dy}; a dense layer writes {@code dE/dw_ji = delta_j y_i},
 *       summed over the batch, into its gradient and passes {@code dE/dy_i = sum_j delta_j w_ji} down,
 *       using the weights from before any update;</li>
 *   <li>each summed gradient divided once by the batch size, because the batch gradient is the mean of
 *       the per-example gradients (docs/derivation.md §7). {@link #gradientSum} stops before the division, so that data-parallel
 *       workers can add their sums first and then divide with {@link #divideGradients}: the same
 *       operations, so one worker gives the same bits as a local pass.</li>
 * </ol>
 * Nothing is updated here: an {@link dev.backprop.api.Optimizer} reads the gradients afterwards.
 *
 * <p>Sign convention: gradients are {@code dE/d(...)}. The classic {@code delta} is
 * {@code -dE/dnet}, so {@code delta_5 = -0.0406} of docs/derivation.md §10 is {@code +0.0406} here (§8).
 *
 * <p>Not thread-safe: one instance per training thread and network.
 */
public final class Backpropagation {
    private final Network network;
    private final List<Layer> layers;
    private final int maxRows;
    /** activations[k] is the input of layer k; activations[L] is the network output. */
    private final double[][] activations;
    /** gradients[k] is dE/d(input of layer k); gradients[L] is dE/d(output). gradients[0] is unused. */
    private final double[][] gradients;
    private final Workspace workspace;
    private int rows;

    /**
     * A single-threaded pass.
     *
     * @param network the network to train
     * @param maxRows the most examples one call will pass
     */
    public Backpropagation(Network network, int maxRows) {
        this(network, maxRows, 1);
    }

    /**
     * @param network the network to train
     * @param maxRows the most examples one call will pass
     * @param threads how many threads the layers of a large enough batch are split across; results are
     *     bit-identical for any number
     */
    public Backpropagation(Network network, int maxRows, int threads) {
        if (maxRows < 1) {
            throw new BackpropException(ErrorCode.TRAINING_INVALID, "The batch size must be at least 1, got " + maxRows + ".");
        }
        this.network = network;
        this.layers = network.layers();
        this.maxRows = maxRows;
        int count = layers.size();
        long values = network.inputSize();
        for (Layer layer : layers) {
            values += 2L * layer.outputSize();
        }
        long bytes = values * maxRows * Double.BYTES;
        if (values * maxRows > Integer.MAX_VALUE - 8 || bytes > Runtime.getRuntime().maxMemory() / 2) {
            throw new BackpropException(ErrorCode.TRAINING_INVALID, "A batch of " + maxRows + " examples needs "
                    + bytes / (1 << 20) + " MiB of buffers for " + network + "; use a smaller batch-size.");
        }
        this.activations = new double[count + 1][];
        this.gradients = new double[count + 1][];
        this.workspace = new Workspace(count, Parallel.of(threads));
        activations[0] = new double[maxRows * network.inputSize()];
        for (int k = 0; k < count; k++) {
            activations[k + 1] = new double[maxRows * layers.get(k).outputSize()];
            gradients[k + 1] = new double[maxRows * layers.get(k).outputSize()];
        }
    }

    /** @return the most examples one call takes */
    public int maxRows() {
        return maxRows;
    }

    /** @return the network this pass trains */
    public Network network() {
        return network;
    }

    /**
     * Forward pass only.
     *
     * @param inputs {@code rows x inputSize} row-major inputs
     * @param rows the number of examples, at most {@link #maxRows()}
     * @return the output buffer (valid until the next call); the first {@code rows * outputSize} values
     *     are the outputs
     */
    public double[] forward(double[] inputs, int rows) {
        workspace.training = false;
        return propagate(inputs, rows);
    }

    private double[] propagate(double[] inputs, int rows) {
        workspace.firstRow = 0;
        return propagateFrom(inputs, rows);
    }

    private double[] propagateFrom(double[] inputs, int rows) {
        if (rows < 1 || rows > maxRows) {
            throw new IllegalArgumentException("rows must be in 1.." + maxRows + ", got " + rows);
        }
        this.rows = rows;
        System.arraycopy(inputs, 0, activations[0], 0, rows * network.inputSize());
        for (int k = 0; k < layers.size(); k++) {
            try {
                layers.get(k).forward(activations[k], activations[k + 1], rows, workspace, k);
            } catch (RuntimeException | StackOverflowError | LinkageError e) {
                throw failed(k, "forward", e);
            } catch (OutOfMemoryError e) {
                throw outOfMemory(k, "forward", e);
            }
        }
        return activations[layers.size()];
    }

    /**
     * Forward and backward pass in evaluation mode (dropout passes values through): afterwards every
     * {@link Network#parameters() parameter}'s gradient holds the mean over the batch of {@code dE/dw}.
     *
     * @param inputs {@code rows x inputSize} row-major inputs
     * @param targets {@code rows x outputSize} row-major targets
     * @param rows the number of examples in the batch, at most {@link #maxRows()}
     * @param loss the loss function
     * @return the sum over the batch of the per-example loss, measured before any update
     */
    public double meanGradient(double[] inputs, double[] targets, int rows, LossFunction loss) {
        workspace.training = false;
        workspace.firstRow = 0;
        double lossSum = backpropagate(inputs, targets, rows, loss);
        divideGradients(network.parameters(), rows);
        return lossSum;
    }

    /**
     * Like {@link #meanGradient(double[], double[], int, LossFunction)}, in training mode: dropout layers
     * drop units, with masks drawn from {@code dropoutSeed}.
     *
     * @param inputs {@code rows x inputSize} row-major inputs
     * @param targets {@code rows x outputSize} row-major targets
     * @param rows the number of examples in the batch, at most {@link #maxRows()}
     * @param loss the loss function
     * @param dropoutSeed the seed of this batch's dropout masks
     * @return the sum over the batch of the per-example loss, measured before any update
     */
    public double meanGradient(double[] inputs, double[] targets, int rows, LossFunction loss, long dropoutSeed) {
        double lossSum = gradientSum(inputs, targets, rows, loss, dropoutSeed, 0);
        divideGradients(network.parameters(), rows);
        return lossSum;
    }

    /**
     * Training mode, leaving every parameter's gradient holding the <em>sum</em> over these rows of
     * {@code dE/dw}: a data-parallel worker's share of a larger batch, to be added to the others' and
     * divided once with {@link #divideGradients}. The rows are {@code firstRow, firstRow + 1, ...} of
     * that batch, which fixes their dropout masks: any split of a batch into slices draws the same masks as
     * the whole batch, and one slice gives the same bits as {@link #meanGradient(double[], double[], int,
     * LossFunction, long)}.
     *
     * @param inputs {@code rows x inputSize} row-major inputs
     * @param targets {@code rows x outputSize} row-major targets
     * @param rows the number of rows, at most {@link #maxRows()}
     * @param loss the loss function
     * @param dropoutSeed the seed of the whole batch's dropout masks
     * @param firstRow the index of the first of these rows within the whole batch
     * @return the sum over these rows of the per-example loss, measured before any update
     */
    public double gradientSum(double[] inputs, double[] targets, int rows, LossFunction loss, long dropoutSeed, int firstRow) {
        if (firstRow < 0) {
            throw new IllegalArgumentException("firstRow must be >= 0, got " + firstRow);
        }
        workspace.training = true;
        workspace.dropoutSeed = dropoutSeed;
        workspace.firstRow = firstRow;
        return backpropagate(inputs, targets, rows, loss);
    }

    /**
     * Turns summed gradients into the batch mean: divides every value by the number of examples, once
     * per step (a division, not a multiplication by its inverse, so a worker's sums and a local pass give
     * the same bits).
     *
     * @param parameters the parameters whose gradients hold sums
     * @param batchRows the number of examples the sums are over
     */
    public static void divideGradients(List<TrainableParameter> parameters, int batchRows) {
        if (batchRows == 1) {
            return; // x / 1 == x exactly: per-example training skips the pass
        }
        double divisor = batchRows;
        // An index loop: the list's iterator would be the one allocation of a training step.
        for (int p = 0; p < parameters.size(); p++) {
            double[] gradient = parameters.get(p).gradient();
            for (int i = 0; i < gradient.length; i++) {
                gradient[i] /= divisor;
            }
        }
    }

    private double backpropagate(double[] inputs, double[] targets, int rows, LossFunction loss) {
        double[] output = propagateFrom(inputs, rows);
        int count = layers.size();
        int outputs = network.outputSize();
        double lossSum;
        double[] top = gradients[count];
        try {
            lossSum = loss.loss(output, targets, rows, outputs);
            loss.gradient(output, targets, top, rows, outputs);
        } catch (BackpropException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | LinkageError | OutOfMemoryError e) {
            throw new BackpropException(ErrorCode.PLUGIN_FAILED, "The loss " + loss.getClass().getName() + " threw "
                    + dev.backprop.core.plugin.PluginFaults.describe(e), e);
        }
        for (int k = count - 1; k >= 0; k--) {
            try {
                layers.get(k).backward(activations[k], activations[k + 1], gradients[k + 1], k == 0 ? null : gradients[k], rows, workspace, k);
            } catch (RuntimeException | StackOverflowError | LinkageError e) {
                throw failed(k, "backward", e);
            } catch (OutOfMemoryError e) {
                throw outOfMemory(k, "backward", e);
            }
        }
        return lossSum;
    }

    /**
     * Memory that ran out inside an activation plugin is named as that plugin's fault (a plugin that
     * allocates without bound); inside the SDK's own layers it stays an out-of-memory error.
     */
    private RuntimeException outOfMemory(int k, String pass, OutOfMemoryError e) {
        if (layers.get(k) instanceof ActivationLayer) {
            return failed(k, pass, e);
        }
        throw e;
    }

    private BackpropException failed(int k, String pass, Throwable e) {
        return failure(layers.get(k), k, pass, e);
    }

    /**
     * @return what a layer's failure during a pass is reported as: a plugin fault naming the layer and its
     *     plugin (an SDK error passes unchanged); the training pass and prediction report it alike
     */
    static BackpropException failure(Layer layer, int k, String pass, Throwable e) {
        if (e instanceof BackpropException known) {
            return known;
        }
        return new BackpropException(ErrorCode.PLUGIN_FAILED, "layers[" + k + "] " + describe(layer) + " threw in its " + pass
                + " pass: " + dev.backprop.core.plugin.PluginFaults.describe(e), e);
    }

    private String describe(int k) {
        return describe(layers.get(k));
    }

    static String describe(Layer layer) {
        if (layer instanceof ActivationLayer activation) {
            return layer.describe() + " (activation plugin '" + activation.activationName() + "', "
                    + activation.activation().getClass().getName() + ")";
        }
        return layer.describe();
    }

    /**
     * After a pass whose loss was not finite: the first layer whose outputs, or whose input gradients,
     * are not all finite, described with its plugin, or an empty string if every layer looks finite.
     *
     * @return a phrase such as {@code "the first non-finite values came from layers[1] ..."}
     */
    public String firstNonFiniteLayer() {
        for (int k = 0; k < layers.size(); k++) {
            if (!finite(activations[k + 1], rows * layers.get(k).outputSize())) {
                return "the first non-finite values came out of layers[" + k + "] " + describe(k);
            }
        }
        for (int k = layers.size() - 1; k >= 1; k--) {
            if (!finite(gradients[k], rows * layers.get(k).inputSize())) {
                return "the first non-finite gradients came out of layers[" + k + "] " + describe(k);
            }
        }
        return "";
    }

    private static boolean finite(double[] values, int count) {
        for (int i = 0; i < count; i++) {
            if (!Double.isFinite(values[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the live output buffer of the last pass (valid until the next call); the first
     *     {@code rows * outputSize} values are the network outputs
     */
    public double[] output() {
        return activations[layers.size()];
    }

    /**
     * @param layer a layer index
     * @return a copy of that layer's outputs from the last pass, {@code rows x outputSize}
     */
    public double[] layerOutput(int layer) {
        return Arrays.copyOf(activations[layer + 1], rows * layers.get(layer).outputSize());
    }

    /**
     * @param layer a layer index from 1 (the first layer's input gradient is not computed)
     * @return a copy of {@code dE/d(input of layer)} from the last pass, one row per example (the
     *     per-example values, not divided by the batch size); for an activation layer this is
     *     {@code dE/dnet}, the (sign-flipped) classic delta, docs/derivation.md §8
     */
    public double[] inputGradient(int layer) {
        if (layer < 1 || layer >= layers.size()) {
            throw new IllegalArgumentException("input gradients exist for layers 1.." + (layers.size() - 1) + ", not " + layer);
        }
        return Arrays.copyOf(gradients[layer], rows * layers.get(layer).inputSize());
    }

    /**
     * @return a copy of {@code dE/d(output)} from the last pass, one row per example
     */
    public double[] outputGradient() {
        return Arrays.copyOf(gradients[layers.size()], rows * network.outputSize());
    }
}
