package dev.backprop.plugins.activations;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.ExportableActivation;
import dev.backprop.api.PluginParameters;
import java.util.List;
import java.util.Map;

/**
 * {@code y_i = e^(x_i) / sum_j e^(x_j)} over each row: outputs are positive and sum to 1. Not
 * element-wise: its Jacobian is {@code dy_i/dx_j = y_i (delta_ij - y_j)}, so the backward product is
 * {@code gradNet_i = y_i (gradOut_i - sum_j gradOut_j y_j)}.
 */
public final class Softmax implements Activation, ExportableActivation {

    @Override
    public void forward(double[] net, double[] out, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int offset = r * cols;
            // Subtracting the row maximum leaves the result unchanged and keeps exp from overflowing.
            double max = net[offset];
            for (int c = 1; c < cols; c++) {
                max = Math.max(max, net[offset + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                double e = Math.exp(net[offset + c] - max);
                out[offset + c] = e;
                sum += e;
            }
            double inverse = 1.0 / sum;
            for (int c = 0; c < cols; c++) {
                out[offset + c] *= inverse;
            }
        }
    }

    @Override
    public void backward(double[] net, double[] out, double[] gradOut, double[] gradNet, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int offset = r * cols;
            double dot = 0;
            for (int c = 0; c < cols; c++) {
                dot += gradOut[offset + c] * out[offset + c];
            }
            for (int c = 0; c < cols; c++) {
                gradNet[offset + c] = out[offset + c] * (gradOut[offset + c] - dot);
            }
        }
    }

    /** Exported as the ONNX operator {@code Softmax}. */
    @Override
    public List<Step> exportSteps() {
        return List.of(Step.of("Softmax", Map.of("axis", -1L)));
    }

    /** Provides {@code softmax}. */
    public static final class Provider implements ActivationProvider {
        @Override
        public String name() {
            return "softmax";
        }

        @Override
        public String description() {
            return "normalised exponential over each example's units; outputs sum to 1";
        }

        @Override
        public Activation create(PluginParameters parameters) {
            return new Softmax();
        }
    }
}
