package dev.backprop.core.network;

import dev.backprop.core.linalg.Kernels;
import dev.backprop.core.linalg.Parallel.RangeBody;

/**
 * The kernel calls of one dense layer as reusable range bodies: the arguments of the current call sit
 * in fields, so splitting a kernel across threads allocates nothing. One instance per layer and workspace.
 */
final class DenseTasks {
    double[] in;
    double[] out;
    double[] gradOut;
    double[] gradIn;
    int rows;

    final RangeBody affine;
    final RangeBody forward;
    final RangeBody weightGradient;
    final RangeBody backwardInput;

    DenseTasks(DenseLayer layer) {
        int inputs = layer.inputSize();
        int outputs = layer.outputSize();
        affine = (from, to) -> Kernels.affine(in, layer.weightArray(), layer.biasArray(), out, rows, inputs, outputs, from, to);
        forward = (from, to) -> Kernels.forward(in, layer.weightArray(), layer.biasArray(), out, rows, inputs, outputs, from, to);
        weightGradient = (from, to) -> Kernels.weightGradient(gradOut, in, layer.weightGradientArray(), layer.biasGradientArray(),
                rows, inputs, outputs, from, to);
        backwardInput = (from, to) -> Kernels.backwardInput(gradOut, layer.weightArray(), gradIn, rows, inputs, outputs, from, to);
    }
}
