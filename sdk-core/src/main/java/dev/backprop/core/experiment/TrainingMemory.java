package dev.backprop.core.experiment;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.network.DenseLayer;
import dev.backprop.core.network.Layer;
import dev.backprop.core.network.Network;
import dev.backprop.core.training.Dataset;
import java.util.List;

/**
 * What a run will hold in memory at its peak, estimated before the first epoch so that a network that
 * cannot be trained, evaluated and saved in this JVM is refused at once instead of failing after training
 * (a dense layer of 10,000,000 units used to train and then fail when it was evaluated or saved).
 *
 * <p>Per parameter (weight or bias): its value and gradient (16 bytes), optimizer state (16, two values
 * as Adam keeps), a copy for checkpoints and early stopping (8), and writing {@code model.json} (about
 * {@value #SAVING_BYTES_PER_PARAMETER} bytes: a JSON tree node and about 22 characters of text, built
 * before the file is written). Per value a layer passes on: the activation and delta buffers of a
 * training batch and of an evaluation batch. Plus the data itself.
 */
final class TrainingMemory {
    /** Bytes per parameter while {@code model.json} is written (Jackson tree, text, and its bytes). */
    static final long SAVING_BYTES_PER_PARAMETER = 110;
    private static final long TRAINING_BYTES_PER_PARAMETER = 16 + 16 + 8;
    /** As {@code Trainer}'s evaluation batch. */
    private static final int EVALUATION_ROWS = 256;

    private TrainingMemory() {
    }

    /**
     * @param network the network, built
     * @param batchSize the training batch size
     * @param data the training, validation and test examples (entries may be null)
     * @param maxHeap the bytes this JVM may use ({@link Runtime#maxMemory()})
     * @throws BackpropException ({@link ErrorCode#TRAINING_INVALID}) naming the largest layer, the bytes needed and
     *     the bytes this JVM may use, if the estimate exceeds the JVM's maximum heap
     */
    static void check(Network network, int batchSize, List<Dataset> data, long maxHeap) {
        long parameters = network.parameterCount();
        long bufferValues = network.inputSize();
        for (Layer layer : network.layers()) {
            bufferValues += 2L * layer.outputSize();
        }
        long rows = 0;
        long dataBytes = 0;
        for (Dataset d : data) {
            if (d != null) {
                rows = Math.max(rows, d.size());
                dataBytes += (long) d.size() * (d.inputSize() + d.targetSize()) * Double.BYTES;
            }
        }
        long trainingRows = rows == 0 ? batchSize : Math.min(batchSize, rows);
        long evaluationRows = rows == 0 ? EVALUATION_ROWS : Math.min(EVALUATION_ROWS, rows);
        double needed = (double) parameters * (TRAINING_BYTES_PER_PARAMETER + SAVING_BYTES_PER_PARAMETER)
                + (double) bufferValues * (trainingRows + evaluationRows) * Double.BYTES + dataBytes;
        if (needed <= maxHeap) {
            return;
        }
        int largest = 0;
        long largestBytes = -1;
        for (int i = 0; i < network.layers().size(); i++) {
            Layer layer = network.layers().get(i);
            long bytes = layerParameters(layer) * (TRAINING_BYTES_PER_PARAMETER + SAVING_BYTES_PER_PARAMETER)
                    + 2L * layer.outputSize() * (trainingRows + evaluationRows) * Double.BYTES;
            if (bytes > largestBytes) {
                largest = i;
                largestBytes = bytes;
            }
        }
        throw new LayerMemoryException(largest, "the layer " + network.layers().get(largest).describe()
                + " needs about " + mib(largestBytes) + " MiB, and the run about " + mib((long) Math.min(needed, Long.MAX_VALUE))
                + " MiB in all (" + parameters + " weights with their gradients, optimizer state, a checkpoint copy and the "
                + "model.json being written; the buffers of a training batch of " + trainingRows + " and an evaluation batch of "
                + evaluationRows + "; the data), but this JVM may use " + mib(maxHeap) + " MiB (-Xmx). Use a smaller layer, or "
                + "give Java more memory with BACKPROP_JAVA_OPTS=-Xmx...");
    }

    private static long layerParameters(Layer layer) {
        if (layer instanceof DenseLayer dense) {
            return (long) dense.inputSize() * dense.outputSize() + (dense.hasBias() ? dense.outputSize() : 0);
        }
        return 0;
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    /** A run that does not fit, and the index of the layer that holds most of it. */
    static final class LayerMemoryException extends BackpropException {
        private static final long serialVersionUID = 1L;
        private final int layerIndex;

        LayerMemoryException(int layerIndex, String message) {
            super(ErrorCode.TRAINING_INVALID, message);
            this.layerIndex = layerIndex;
        }

        int layerIndex() {
            return layerIndex;
        }
    }
}
