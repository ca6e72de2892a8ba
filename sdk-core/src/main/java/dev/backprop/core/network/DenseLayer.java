package dev.backprop.core.network;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.TrainableParameter;
import dev.backprop.core.linalg.Kernels;
import java.util.ArrayList;
import java.util.List;

/**
 * A fully connected linear layer, {@code net_j = sum_i w_ji x_i + b_j} (the bias is a weight from a constant
 * input 1, stored as a separate vector; docs/derivation.md §1). Weights are row-major with one row per output unit:
 * {@code weights()[j][i]} is {@code w_ji}, the weight from input {@code i} to output {@code j}.
 */
public final class DenseLayer extends Layer {
    private final int inputs;
    private final int outputs;
    private final double[] weights;
    private final double[] weightGradient;
    private final double[] bias;
    private final double[] biasGradient;

    /**
     * Creates a layer with all weights (and the bias) zero.
     *
     * @param inputs the number of inputs, at least 1
     * @param outputs the number of outputs, at least 1
     * @param hasBias whether the layer has a bias unit
     */
    public DenseLayer(int inputs, int outputs, boolean hasBias) {
        if (inputs < 1 || outputs < 1) {
            throw new BackpropException(ErrorCode.NETWORK_INVALID,
                    "A dense layer needs at least one input and one output, got " + inputs + " -> " + outputs + ".");
        }
        long count = (long) inputs * outputs;
        // Weights and their gradient: refuse what cannot fit rather than fail with OutOfMemoryError.
        long bytes = count * 2 * Double.BYTES;
        long budget = Runtime.getRuntime().maxMemory() / 2;
        if (count > Integer.MAX_VALUE - 8 || bytes > budget) {
            throw new BackpropException(ErrorCode.NETWORK_INVALID, "A dense layer of " + inputs + " -> " + outputs + " has "
                    + count + " weights, needing " + bytes / (1 << 20) + " MiB; this JVM allows " + budget / (1 << 20)
                    + " MiB for one layer (raise -Xmx or use a smaller layer).");
        }
        this.inputs = inputs;
        this.outputs = outputs;
        this.weights = new double[(int) count];
        this.weightGradient = new double[weights.length];
        this.bias = hasBias ? new double[outputs] : null;
        this.biasGradient = hasBias ? new double[outputs] : null;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.dense(this);
    }

    @Override
    public int inputSize() {
        return inputs;
    }

    @Override
    public int outputSize() {
        return outputs;
    }

    /** @return whether this layer has a bias unit */
    public boolean hasBias() {
        return bias != null;
    }

    /** @return a copy of the weights, one row per output unit */
    public double[][] weights() {
        double[][] rows = new double[outputs][];
        for (int j = 0; j < outputs; j++) {
            rows[j] = java.util.Arrays.copyOfRange(weights, j * inputs, (j + 1) * inputs);
        }
        return rows;
    }

    /**
     * @param output the output unit {@code j}
     * @param input the input unit {@code i}
     * @return {@code w_ji}
     */
    public double weight(int output, int input) {
        java.util.Objects.checkIndex(output, outputs);
        java.util.Objects.checkIndex(input, inputs);
        return weights[output * inputs + input];
    }

    /** @return a copy of the bias vector, or {@code null} if the layer has none */
    public double[] bias() {
        return bias == null ? null : bias.clone();
    }

    /**
     * @param rows the new weights, {@code outputSize()} rows of {@code inputSize()} values
     * @throws BackpropException ({@link ErrorCode#SHAPE_MISMATCH}) if the shape differs
     */
    public void setWeights(double[][] rows) {
        if (rows.length != outputs) {
            throw shape("weights", outputs + " rows", rows.length + " rows");
        }
        for (int j = 0; j < outputs; j++) {
            if (rows[j].length != inputs) {
                throw shape("weights row " + j, inputs + " values", rows[j].length + " values");
            }
            System.arraycopy(rows[j], 0, weights, j * inputs, inputs);
        }
    }

    /**
     * @param values the new bias, {@code outputSize()} values
     * @throws BackpropException if the layer has no bias or the length differs
     */
    public void setBias(double[] values) {
        if (bias == null) {
            throw new BackpropException(ErrorCode.SHAPE_MISMATCH, describe() + " has no bias to set.");
        }
        if (values.length != outputs) {
            throw shape("bias", outputs + " values", values.length + " values");
        }
        System.arraycopy(values, 0, bias, 0, outputs);
    }

    /** The live weight array, for initializers. */
    double[] weightArray() {
        return weights;
    }

    /** The live bias array or {@code null}, for initializers. */
    double[] biasArray() {
        return bias;
    }

    @Override
    public String describe() {
        return "dense(" + inputs + " -> " + outputs + (bias == null ? ", no bias)" : ", bias)");
    }

    /** The live weight gradient, for the kernels. */
    double[] weightGradientArray() {
        return weightGradient;
    }

    /** The live bias gradient or {@code null}, for the kernels. */
    double[] biasGradientArray() {
        return biasGradient;
    }

    @Override
    void forward(double[] in, double[] out, int rows, Workspace workspace, int index) {
        DenseTasks tasks = workspace.tasks(index, this);
        tasks.in = in;
        tasks.out = out;
        tasks.rows = rows;
        long work = (long) rows * inputs;
        if (rows >= Workspace.TILED_FORWARD_MIN_ROWS) {
            workspace.parallel.forRange(outputs, work, tasks.forward);
        } else {
            workspace.parallel.forRange(outputs, work, tasks.affine);
        }
    }

    @Override
    void backward(double[] in, double[] out, double[] gradOut, double[] gradIn, int rows, Workspace workspace, int index) {
        DenseTasks tasks = workspace.tasks(index, this);
        tasks.in = in;
        tasks.gradOut = gradOut;
        tasks.gradIn = gradIn;
        tasks.rows = rows;
        // dE/dw_ji = delta_j * x_i (docs/derivation.md §6), summed over the rows; the pass divides by the batch size once.
        workspace.parallel.forRange(outputs, (long) rows * inputs, tasks.weightGradient);
        if (gradIn != null) {
            // Uses the weights from before the update, as docs/derivation.md §9 requires.
            workspace.parallel.forRange(inputs, (long) rows * outputs, tasks.backwardInput);
        }
    }

    @Override
    List<TrainableParameter> trainableParameters() {
        List<TrainableParameter> list = new ArrayList<>(2);
        list.add(new TrainableParameter("weights", TrainableParameter.Kind.WEIGHTS, weights, weightGradient));
        if (bias != null) {
            list.add(new TrainableParameter("bias", TrainableParameter.Kind.BIAS, bias, biasGradient));
        }
        return list;
    }

    @Override
    DenseLayer copy() {
        DenseLayer copy = new DenseLayer(inputs, outputs, bias != null);
        System.arraycopy(weights, 0, copy.weights, 0, weights.length);
        if (bias != null) {
            System.arraycopy(bias, 0, copy.bias, 0, bias.length);
        }
        return copy;
    }

    private BackpropException shape(String what, String expected, String actual) {
        return new BackpropException(ErrorCode.SHAPE_MISMATCH,
                "The " + what + " of " + describe() + " must have " + expected + ", got " + actual + ".");
    }
}
