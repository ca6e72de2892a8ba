package dev.backprop.cli;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.config.ExperimentConfig;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.model.Model;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.network.DenseLayer;
import dev.backprop.core.network.Layer;
import dev.backprop.onnx.OnnxImporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code train --init-from MODEL}: starts a run from a saved model's weights. The model (a
 * {@code model.json}, or an {@code .onnx} file read by the importer) must have as many dense layers as
 * the experiment's network, of the same sizes; each of the network's dense layers then gets an
 * {@code explicit} initializer holding the model's weights and bias, as {@code --set} overrides applied
 * after the user's own. The normalisation is fitted on the experiment's data as usual.
 */
final class InitFrom {
    private InitFrom() {
    }

    /**
     * @param runner the runner, for loading the configuration and its plugins
     * @param config the experiment file
     * @param overrides the user's overrides
     * @param modelFile the model to start from
     * @return the overrides that set each dense layer's initial weights
     */
    static List<String> overrides(ExperimentRunner runner, Path config, List<String> overrides, Path modelFile) {
        ExperimentConfig experiment = runner.load(config, overrides);
        Model model = modelFile.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")
                ? OnnxImporter.read(modelFile, runner.plugins())
                : ModelFile.read(modelFile, runner.plugins());
        List<DenseLayer> dense = new ArrayList<>();
        for (Layer layer : model.network().layers()) {
            if (layer instanceof DenseLayer d) {
                dense.add(d);
            }
        }
        List<ExperimentConfig.LayerSpec> layers = experiment.network().layers();
        List<Integer> denseIndices = new ArrayList<>();
        for (int k = 0; k < layers.size(); k++) {
            if (layers.get(k) instanceof ExperimentConfig.DenseSpec) {
                denseIndices.add(k);
            }
        }
        if (denseIndices.size() != dense.size()) {
            throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "--init-from " + modelFile + ": the model has " + dense.size()
                    + " dense layers but " + config + "'s network has " + denseIndices.size() + "; they must match one to one.");
        }
        List<String> result = new ArrayList<>();
        for (int n = 0; n < dense.size(); n++) {
            int k = denseIndices.get(n);
            ExperimentConfig.DenseSpec spec = (ExperimentConfig.DenseSpec) layers.get(k);
            DenseLayer layer = dense.get(n);
            if (spec.units() != layer.outputSize()) {
                throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "--init-from " + modelFile + ": network.layers[" + k + "] has "
                        + spec.units() + " units in " + config + " but the model's dense layer " + (n + 1) + " has " + layer.outputSize() + ".");
            }
            StringBuilder init = new StringBuilder("network.layers[").append(k).append("].init={name: explicit, weights: [");
            double[][] weights = layer.weights();
            for (int j = 0; j < weights.length; j++) {
                init.append(j == 0 ? "" : ", ");
                list(init, weights[j]);
            }
            init.append(']');
            if (layer.hasBias()) {
                init.append(", bias: ");
                list(init, layer.bias());
            }
            result.add(init.append('}').toString());
        }
        return result;
    }

    private static void list(StringBuilder text, double[] values) {
        text.append('[');
        for (int i = 0; i < values.length; i++) {
            text.append(i == 0 ? "" : ", ").append(number(values[i]));
        }
        text.append(']');
    }

    /** The shortest round-trip form, with the exponent's sign written out, as YAML 1.1 wants for a float. */
    static String number(double value) {
        String text = Double.toString(value);
        int e = text.indexOf('E');
        return e < 0 || text.charAt(e + 1) == '-' ? text : text.substring(0, e + 1) + "+" + text.substring(e + 1);
    }
}
