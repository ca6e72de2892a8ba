package dev.backprop.core.cluster;

import dev.backprop.api.EpochMetrics;
import dev.backprop.core.training.TrainingState;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link TrainingState} as plain data, to cross the wire between the driver and the workers of a
 * distributed run: shipped to the workers to resume from, and sent to the driver at every checkpoint.
 * Encoded as numbers and strings only ({@link #writeTo}, {@link #readFrom}), so nothing but data is read
 * from a connection.
 */
public record StateData(int epoch, int batch, double partialLoss, long partialCorrect, double[][] weights, String[] optimizerKeys,
        double[][] optimizerValues, double[][] history, double bestValue, int bestEpoch, int sinceBest, double[][] bestWeights)
        implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int MAX_ARRAYS = 1 << 20;

    /**
     * @param state a snapshot
     * @return it as plain data
     */
    public static StateData of(TrainingState state) {
        Map<String, double[]> sorted = new TreeMap<>(state.optimizerState());
        return new StateData(state.epoch(), state.batch(), state.partialLoss(), state.partialCorrect(),
                state.weights().toArray(new double[0][]), sorted.keySet().toArray(new String[0]),
                sorted.values().toArray(new double[0][]), WorkerResult.rows(state.history()), state.bestValue(), state.bestEpoch(),
                state.epochsWithoutImprovement(), state.bestWeights().toArray(new double[0][]));
    }

    /** @return the snapshot */
    public TrainingState toState() {
        Map<String, double[]> optimizer = new LinkedHashMap<>();
        for (int i = 0; i < optimizerKeys.length; i++) {
            optimizer.put(optimizerKeys[i], optimizerValues[i]);
        }
        List<EpochMetrics> metrics = new ArrayList<>();
        for (double[] r : history) {
            metrics.add(new EpochMetrics((int) r[0], r[1], r[2], r[3], r[4], r[5], (long) r[6]));
        }
        return new TrainingState(epoch, batch, partialLoss, partialCorrect, Arrays.asList(weights), optimizer, metrics, bestValue,
                bestEpoch, sinceBest, Arrays.asList(bestWeights));
    }

    /**
     * @param out where to write
     * @throws IOException if writing fails
     */
    public void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(epoch);
        out.writeInt(batch);
        out.writeDouble(partialLoss);
        out.writeLong(partialCorrect);
        write(out, weights);
        out.writeInt(optimizerKeys.length);
        for (String key : optimizerKeys) {
            out.writeUTF(key);
        }
        write(out, optimizerValues);
        write(out, history);
        out.writeDouble(bestValue);
        out.writeInt(bestEpoch);
        out.writeInt(sinceBest);
        write(out, bestWeights);
    }

    /**
     * @param in where to read
     * @return the state written by {@link #writeTo}
     * @throws IOException if reading fails or the data is malformed
     */
    public static StateData readFrom(DataInputStream in) throws IOException {
        int epoch = in.readInt();
        int batch = in.readInt();
        double partialLoss = in.readDouble();
        long partialCorrect = in.readLong();
        double[][] weights = read(in);
        String[] keys = new String[count(in.readInt())];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = in.readUTF();
        }
        double[][] values = read(in);
        if (values.length != keys.length) {
            throw new IOException("optimizer state: " + keys.length + " names but " + values.length + " arrays");
        }
        return new StateData(epoch, batch, partialLoss, partialCorrect, weights, keys, values, read(in), in.readDouble(), in.readInt(),
                in.readInt(), read(in));
    }

    private static void write(DataOutputStream out, double[][] arrays) throws IOException {
        out.writeInt(arrays.length);
        for (double[] array : arrays) {
            out.writeInt(array.length);
            for (double v : array) {
                out.writeDouble(v);
            }
        }
    }

    private static double[][] read(DataInputStream in) throws IOException {
        double[][] arrays = new double[count(in.readInt())][];
        for (int a = 0; a < arrays.length; a++) {
            int length = in.readInt();
            if (length < 0 || length > Integer.MAX_VALUE / Double.BYTES) {
                throw new IOException("a malformed state: an array of " + length + " values");
            }
            arrays[a] = new double[length];
            for (int i = 0; i < length; i++) {
                arrays[a][i] = in.readDouble();
            }
        }
        return arrays;
    }

    private static int count(int n) throws IOException {
        if (n < 0 || n > MAX_ARRAYS) {
            throw new IOException("a malformed state: " + n + " entries");
        }
        return n;
    }
}
