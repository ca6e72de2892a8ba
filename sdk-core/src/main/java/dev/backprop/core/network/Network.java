package dev.backprop.core.network;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.TrainableParameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A feed-forward network: an input size and a list of layers whose sizes chain. Build one with
 * {@link NetworkBuilder} or {@link #of(int, List)}.
 *
 * <p>Prediction ({@link #predict(double[])}) allocates its own buffers and only reads the weights, so a
 * network that is not being trained can serve predictions from any number of threads. Training
 * ({@link Backpropagation}, {@link dev.backprop.core.training.Trainer}) writes the weights and must not
 * run concurrently with anything else on the same network.
 */
public final class Network {
    private final int inputSize;
    private final List<Layer> layers;
    private final List<TrainableParameter> parameters;

    private Network(int inputSize, List<Layer> layers) {
        this.inputSize = inputSize;
        this.layers = List.copyOf(layers);
        List<TrainableParameter> list = new ArrayList<>();
        for (int k = 0; k < this.layers.size(); k++) {
            for (TrainableParameter p : this.layers.get(k).trainableParameters()) {
                list.add(new TrainableParameter("layers[" + k + "]." + p.name(), p.kind(), p.values(), p.gradient()));
            }
        }
        this.parameters = Collections.unmodifiableList(list);
    }

    /**
     * @param inputSize the number of input features
     * @param layers the layers in order; each layer's input size must equal the previous output size
     * @return the network
     * @throws BackpropException ({@link ErrorCode#SHAPE_MISMATCH}) naming the two layers that disagree
     */
    public static Network of(int inputSize, List<? extends Layer> layers) {
        Objects.requireNonNull(layers, "layers");
        if (inputSize < 1) {
            throw new BackpropException(ErrorCode.NETWORK_INVALID, "A network needs at least one input, got " + inputSize + ".");
        }
        if (layers.isEmpty()) {
            throw new BackpropException(ErrorCode.NETWORK_INVALID, "A network needs at least one layer.");
        }
        int previous = inputSize;
        String previousName = "the network input";
        for (int k = 0; k < layers.size(); k++) {
            Layer layer = Objects.requireNonNull(layers.get(k), "layers[" + k + "]");
            if (layer.inputSize() != previous) {
                throw new BackpropException(ErrorCode.SHAPE_MISMATCH, previousName + " produces " + previous
                        + " values but layers[" + k + "] " + layer.describe() + " expects " + layer.inputSize() + ".");
            }
            previous = layer.outputSize();
            previousName = "layers[" + k + "] " + layer.describe();
        }
        return new Network(inputSize, new ArrayList<>(layers));
    }

    /** @return the number of input features */
    public int inputSize() {
        return inputSize;
    }

    /** @return the number of outputs */
    public int outputSize() {
        return layers.get(layers.size() - 1).outputSize();
    }

    /** @return the layers in order */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * @param layerIndex a layer index, counting every layer (dense, activation, dropout) from 0, as in
     *     {@link #layers()}, model files and error messages ({@code layers[k]})
     * @return the layer
     */
    public Layer layer(int layerIndex) {
        checkIndex(layerIndex);
        return layers.get(layerIndex);
    }

    /**
     * @param layerIndex a layer index, counting every layer from 0 as in {@link #layer(int)}; for the
     *     {@code k}-th dense layer use {@code denseLayers().get(k)}
     * @return the layer, which must be dense
     * @throws IllegalArgumentException if it is not dense, naming what it is and where the dense layers are
     */
    public DenseLayer denseLayerAt(int layerIndex) {
        checkIndex(layerIndex);
        Layer layer = layers.get(layerIndex);
        if (!(layer instanceof DenseLayer dense)) {
            List<String> dense = new ArrayList<>();
            for (int k = 0; k < layers.size(); k++) {
                if (layers.get(k) instanceof DenseLayer) {
                    dense.add(String.valueOf(k));
                }
            }
            throw new IllegalArgumentException("layers[" + layerIndex + "] is " + layer.describe()
                    + ", not a dense layer; the dense layers are at layer indices " + String.join(", ", dense) + ".");
        }
        return dense;
    }

    /** @return the dense layers alone, in order (the {@code k}-th dense layer is {@code denseLayers().get(k)}) */
    public List<DenseLayer> denseLayers() {
        List<DenseLayer> dense = new ArrayList<>();
        for (Layer layer : layers) {
            if (layer instanceof DenseLayer d) {
                dense.add(d);
            }
        }
        return List.copyOf(dense);
    }

    /**
     * @return the trainable parameters (weights, then bias, of each dense layer in order), named
     *     {@code layers[k].weights} and {@code layers[k].bias}; the arrays are live
     */
    public List<TrainableParameter> parameters() {
        return parameters;
    }

    /** @return the total number of trainable values */
    public long parameterCount() {
        long count = 0;
        for (TrainableParameter p : parameters) {
            count += p.size();
        }
        return count;
    }

    /** @return the widest layer input or output, for sizing buffers */
    int maxWidth() {
        int width = inputSize;
        for (Layer layer : layers) {
            width = Math.max(width, layer.outputSize());
        }
        return width;
    }

    /**
     * @param input one example, {@code inputSize()} values
     * @return the network output for it
     * @throws BackpropException ({@link ErrorCode#SHAPE_MISMATCH}) if the input has the wrong length
     */
    public double[] predict(double[] input) {
        Objects.requireNonNull(input, "input must not be null");
        checkWidth(input.length, "input");
        return run(input, 1);
    }

    /**
     * @param inputs examples, each {@code inputSize()} values
     * @return one output row per example
     * @throws BackpropException ({@link ErrorCode#SHAPE_MISMATCH}) if an example has the wrong length
     */
    public double[][] predict(double[][] inputs) {
        Objects.requireNonNull(inputs, "inputs must not be null");
        int rows = inputs.length;
        if (rows == 0) {
            return new double[0][];
        }
        double[] flat = new double[rows * inputSize];
        for (int r = 0; r < rows; r++) {
            checkWidth(inputs[r].length, "inputs[" + r + "]");
            System.arraycopy(inputs[r], 0, flat, r * inputSize, inputSize);
        }
        double[] out = run(flat, rows);
        int width = outputSize();
        double[][] result = new double[rows][];
        for (int r = 0; r < rows; r++) {
            result[r] = java.util.Arrays.copyOfRange(out, r * width, (r + 1) * width);
        }
        return result;
    }

    private double[] run(double[] flat, int rows) {
        int width = maxWidth();
        double[] a = new double[rows * width];
        double[] b = new double[rows * width];
        double[] in = flat;
        // A workspace of its own per call keeps prediction safe from many threads at once.
        Workspace workspace = new Workspace(layers.size(), dev.backprop.core.linalg.Parallel.SERIAL);
        for (int k = 0; k < layers.size(); k++) {
            try {
                layers.get(k).forward(in, a, rows, workspace, k);
            } catch (RuntimeException | StackOverflowError | LinkageError e) {
                throw Backpropagation.failure(layers.get(k), k, "forward", e);
            } catch (OutOfMemoryError e) {
                if (layers.get(k) instanceof ActivationLayer) {
                    throw Backpropagation.failure(layers.get(k), k, "forward", e);
                }
                throw e;
            }
            in = a;
            a = b;
            b = in;
        }
        return java.util.Arrays.copyOf(in, rows * outputSize());
    }

    /**
     * Runs one example layer by layer to find where its values first stop being finite, for an error
     * message about outputs that are not finite.
     *
     * @param input one example's (normalised) inputs
     * @return the index of the first layer whose outputs are not all finite, or -1
     */
    public int firstNonFiniteLayer(double[] input) {
        checkWidth(input.length, "input");
        double[] in = input;
        Workspace workspace = new Workspace(layers.size(), dev.backprop.core.linalg.Parallel.SERIAL);
        for (int k = 0; k < layers.size(); k++) {
            double[] out = new double[layers.get(k).outputSize()];
            layers.get(k).forward(in, out, 1, workspace, k);
            for (double v : out) {
                if (!Double.isFinite(v)) {
                    return k;
                }
            }
            in = out;
        }
        return -1;
    }

    /**
     * @param k a layer index
     * @return the layer as messages name it: {@code layers[1] nan-act(4) (activation plugin 'nan-act', com.example.NanAct)}
     */
    public String describeLayer(int k) {
        checkIndex(k);
        return "layers[" + k + "] " + Backpropagation.describe(layers.get(k));
    }

    private void checkIndex(int layerIndex) {
        if (layerIndex < 0 || layerIndex >= layers.size()) {
            throw new IndexOutOfBoundsException("layer index " + layerIndex + " is outside 0.." + (layers.size() - 1)
                    + ": the network has " + layers.size() + " layers (" + this + ").");
        }
    }

    private void checkWidth(int length, String what) {
        if (length != inputSize) {
            throw new BackpropException(ErrorCode.SHAPE_MISMATCH,
                    "The " + what + " has " + length + " values but the network expects " + inputSize + ".");
        }
    }

    /** @return an independent copy with the same layers and weights */
    public Network copy() {
        List<Layer> copies = new ArrayList<>(layers.size());
        for (Layer layer : layers) {
            copies.add(layer.copy());
        }
        return new Network(inputSize, copies);
    }

    /**
     * Copies every weight and bias of {@code other} into this network.
     *
     * @param other a network with the same layout
     * @throws BackpropException ({@link ErrorCode#SHAPE_MISMATCH}) if the layouts differ
     */
    public void copyWeightsFrom(Network other) {
        if (other.parameters.size() != parameters.size()) {
            throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "Cannot copy weights between " + other + " and " + this + ".");
        }
        for (int p = 0; p < parameters.size(); p++) {
            double[] from = other.parameters.get(p).values();
            double[] to = parameters.get(p).values();
            if (from.length != to.length) {
                throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "Cannot copy weights between " + other + " and " + this + ".");
            }
            System.arraycopy(from, 0, to, 0, to.length);
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Network(").append(inputSize);
        for (Layer layer : layers) {
            text.append(" -> ").append(layer.describe());
        }
        return text.append(')').toString();
    }
}
