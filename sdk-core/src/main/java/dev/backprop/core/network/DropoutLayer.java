package dev.backprop.core.network;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.TrainableParameter;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Inverted dropout: while training, each value is kept with probability {@code 1 - rate} and scaled by
 * {@code 1 / (1 - rate)}, or set to 0; at prediction time the layer passes values through unchanged.
 * Masks come from generators seeded per batch by the trainer (and per layer and row here), so training stays
 * reproducible and resumable.
 */
public final class DropoutLayer extends Layer {
    private final int size;
    private final double rate;

    /**
     * @param size the number of units
     * @param rate the probability of dropping a unit, in [0, 1)
     */
    public DropoutLayer(int size, double rate) {
        if (size < 1) {
            throw new BackpropException(ErrorCode.NETWORK_INVALID, "A dropout layer needs at least one unit, got " + size + ".");
        }
        if (!(rate >= 0 && rate < 1)) {
            throw new BackpropException(ErrorCode.NETWORK_INVALID, "The dropout rate must be in [0, 1), got " + rate + ".");
        }
        this.size = size;
        this.rate = rate;
    }

    /** @return the probability of dropping a unit while training */
    public double rate() {
        return rate;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.dropout(this);
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
        return "dropout(" + size + ", " + rate + ")";
    }

    @Override
    void forward(double[] in, double[] out, int rows, Workspace workspace, int index) {
        int n = rows * size;
        if (!workspace.training || rate == 0) {
            System.arraycopy(in, 0, out, 0, n);
            return;
        }
        double[] mask = workspace.mask(index, n);
        double scale = 1.0 / (1.0 - rate);
        for (int r = 0; r < rows; r++) {
            // One generator per row of the whole batch, so a slice of the batch draws the same masks.
            SplittableRandom random = new SplittableRandom(rowSeed(workspace.dropoutSeed, index, workspace.firstRow + r));
            for (int i = r * size, end = i + size; i < end; i++) {
                mask[i] = random.nextDouble() >= rate ? scale : 0.0;
                out[i] = in[i] * mask[i];
            }
        }
    }

    /** A well-mixed seed for one layer and one row of a batch. */
    private static long rowSeed(long batchSeed, int layer, int row) {
        long z = batchSeed + 0x9E3779B97F4A7C15L * (layer + 1) + 0xC2B2AE3D27D4EB4FL * (row + 1L);
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    @Override
    void backward(double[] in, double[] out, double[] gradOut, double[] gradIn, int rows, Workspace workspace, int index) {
        if (gradIn == null) {
            return;
        }
        int n = rows * size;
        if (!workspace.training || rate == 0) {
            System.arraycopy(gradOut, 0, gradIn, 0, n);
            return;
        }
        double[] mask = workspace.mask(index, n); // the buffer forward filled for this layer
        for (int i = 0; i < n; i++) {
            gradIn[i] = gradOut[i] * mask[i];
        }
    }

    @Override
    List<TrainableParameter> trainableParameters() {
        return List.of();
    }

    @Override
    DropoutLayer copy() {
        return new DropoutLayer(size, rate);
    }
}
