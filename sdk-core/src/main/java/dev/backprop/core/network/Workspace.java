package dev.backprop.core.network;

import dev.backprop.core.linalg.Parallel;

/**
 * Per-pass scratch space and threads for the layers: the kernel tasks and dropout masks, made once per
 * layer on first use. One workspace belongs to one thread's pass.
 */
final class Workspace {
    /** From this batch size on, the forward pass uses the tiled kernel; below it, dot products. */
    static final int TILED_FORWARD_MIN_ROWS = 4;

    final Parallel.Dispatcher parallel;
    private final DenseTasks[] denseTasks;
    private final double[][] masks;
    /** Whether the current pass trains (dropout active) or predicts. */
    boolean training;
    /** The seed of the current batch's dropout masks. */
    long dropoutSeed;
    /** The index, within the whole batch, of the first row of the current pass (dropout masks depend on it). */
    int firstRow;

    Workspace(int layers, Parallel parallel) {
        this.parallel = parallel.dispatcher();
        this.masks = new double[layers][];
        this.denseTasks = new DenseTasks[layers];
    }

    /** The reusable kernel tasks of the dense layer at {@code index}, made on first use. */
    DenseTasks tasks(int index, DenseLayer layer) {
        DenseTasks tasks = denseTasks[index];
        if (tasks == null) {
            tasks = new DenseTasks(layer);
            denseTasks[index] = tasks;
        }
        return tasks;
    }

    double[] mask(int layer, int size) {
        double[] buffer = masks[layer];
        if (buffer == null || buffer.length < size) {
            buffer = new double[size];
            masks[layer] = buffer;
        }
        return buffer;
    }
}
