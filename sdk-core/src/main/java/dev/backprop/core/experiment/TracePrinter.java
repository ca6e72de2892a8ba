package dev.backprop.core.experiment;

import dev.backprop.core.network.ActivationLayer;
import dev.backprop.core.network.Backpropagation;
import dev.backprop.core.network.DenseLayer;
import dev.backprop.core.network.DropoutLayer;
import dev.backprop.core.network.Layer;
import dev.backprop.core.network.Network;
import dev.backprop.core.training.Trainer;
import java.io.PrintWriter;
import java.util.Arrays;

/**
 * Prints every value of every training step, as docs/derivation.md §10 lays out its worked example: the forward pass,
 * the deltas, the updated weights. Deltas are printed with the classic sign (§8), {@code delta = -dE/dnet},
 * per example. Meant for tiny networks.
 */
final class TracePrinter implements Trainer.StepInspector {
    private final PrintWriter out;

    /** What a layer's outputs are called in the classic notation: a linear layer's are the net inputs. */
    private static final Layer.Visitor<String> VALUE_NAME = new Layer.Visitor<>() {
        @Override
        public String dense(DenseLayer layer) {
            return "net";
        }

        @Override
        public String activation(ActivationLayer layer) {
            return "output";
        }

        @Override
        public String dropout(DropoutLayer layer) {
            return "output";
        }
    };

    TracePrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void afterBackward(int epoch, int batch, Backpropagation pass, int rows, double batchLoss) {
        Network network = pass.network();
        out.printf("epoch %d, batch %d (%d example%s)%n", epoch, batch, rows, rows == 1 ? "" : "s");
        out.println("  forward pass:");
        for (int k = 0; k < network.layers().size(); k++) {
            Layer layer = network.layer(k);
            String what = layer.accept(VALUE_NAME);
            out.printf("    layers[%d] %-24s %-6s %s%n", k, layer.describe(), what, rows(pass.layerOutput(k), rows));
        }
        out.printf("  loss, summed over the batch: %s%n", batchLoss);
        out.println("  backward pass, delta = -dE/dnet per example (the classic sign, docs/derivation.md section 8):");
        for (int k = network.layers().size() - 1; k >= 1; k--) {
            if (network.layer(k) instanceof ActivationLayer activation) {
                double[] gradient = pass.inputGradient(k);
                double[] delta = new double[gradient.length];
                for (int i = 0; i < delta.length; i++) {
                    delta[i] = -gradient[i]; // the classic sign; the rows are per example
                }
                out.printf("    layers[%d] %-24s delta  %s%n", k, activation.describe(), rows(delta, rows));
            }
        }
    }

    @Override
    public void afterUpdate(int epoch, int batch, Network network) {
        out.println("  updated weights (row j = output unit, column i = input unit):");
        for (int k = 0; k < network.layers().size(); k++) {
            if (network.layer(k) instanceof DenseLayer dense) {
                out.printf("    layers[%d] %-24s %s%s%n", k, dense.describe(), Arrays.deepToString(dense.weights()),
                        dense.hasBias() ? " bias " + Arrays.toString(dense.bias()) : "");
            }
        }
        out.flush();
    }

    /** The final forward pass over the training inputs, after training. */
    void finalOutputs(Network network, dev.backprop.core.training.Dataset data) {
        out.println("forward pass after training:");
        for (int r = 0; r < data.size(); r++) {
            out.printf("  input %s -> output %s%n", Arrays.toString(data.input(r)), Arrays.toString(network.predict(data.input(r))));
        }
        out.flush();
    }

    private static String rows(double[] values, int rows) {
        int width = values.length / rows;
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            if (r > 0) {
                text.append(" | ");
            }
            text.append(Arrays.toString(Arrays.copyOfRange(values, r * width, (r + 1) * width)));
        }
        return text.toString();
    }
}
