package dev.backprop.core.model;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.data.LabelledData;
import dev.backprop.core.data.Normalizer;
import dev.backprop.core.network.Network;
import dev.backprop.core.training.Dataset;
import dev.backprop.core.training.Trainer;
import java.util.List;
import java.util.Objects;

/**
 * A trained network with what is needed to use it on raw data: the input normalisation it was trained
 * with, the names of its input and output columns, and for a classifier its classes. Saved and loaded as
 * {@code model.json} by {@link ModelFile}. For a network built and trained in code,
 * {@link #of(Network, Trainer, LabelledData)} takes the loss from the trainer and the column and class
 * names from the data.
 *
 * @param network the network
 * @param loss the name of the loss it was trained with
 * @param normalizer the input rescaling, or {@code null}
 * @param features the input column names
 * @param targets the output column names
 * @param classes the classes in output order, or {@code null} for regression
 * @param label the class-label column name, or {@code null}
 */
public record Model(Network network, String loss, Normalizer normalizer, List<String> features, List<String> targets,
        List<String> classes, String label) {

    /**
     * Checks and copies.
     *
     * @param network the network
     * @param loss the name of the loss it was trained with
     * @param normalizer the input rescaling, or {@code null}
     * @param features the input column names
     * @param targets the output column names
     * @param classes the classes in output order, or {@code null} for regression
     * @param label the class-label column name, or {@code null}
     */
    public Model {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(loss, "loss");
        features = List.copyOf(features);
        targets = List.copyOf(targets);
        classes = classes == null ? null : List.copyOf(classes);
        if (normalizer != null && normalizer.offset().length != network.inputSize()) {
            throw new dev.backprop.api.BackpropException(dev.backprop.api.ErrorCode.SHAPE_MISMATCH, "the normalizer rescales "
                    + normalizer.offset().length + " input columns but the network has " + network.inputSize() + " inputs.");
        }
        if (classes != null) {
            int outputs = network.outputSize();
            // One output unit separates two classes; otherwise one unit per class.
            boolean fits = classes.size() == outputs && outputs > 1 || outputs == 1 && classes.size() == 2;
            if (!fits || new java.util.HashSet<>(classes).size() != classes.size()) {
                throw new dev.backprop.api.BackpropException(dev.backprop.api.ErrorCode.SHAPE_MISMATCH, "a classifier with "
                        + outputs + " output" + (outputs == 1 ? "" : "s") + " needs " + (outputs == 1 ? 2 : outputs)
                        + " distinct class names, got " + classes + ".");
            }
        }
    }

    /**
     * A model of a network trained in code: the loss name comes from the trainer, the column and class
     * names from the data, and there is no input normalisation ({@link #withNormalizer} adds one).
     *
     * @param network the trained network
     * @param trainer the trainer it was trained with; its loss must have been given by name
     * @param data the data it was trained on (or any with the same columns)
     * @return the model
     * @throws BackpropException ({@link ErrorCode#MODEL_INVALID}) if the trainer's loss has no plugin
     *     name, ({@link ErrorCode#SHAPE_MISMATCH}) if the data does not fit the network
     */
    public static Model of(Network network, Trainer trainer, LabelledData data) {
        Objects.requireNonNull(network, "network must not be null");
        Objects.requireNonNull(trainer, "trainer must not be null");
        Objects.requireNonNull(data, "data must not be null");
        if (trainer.lossName() == null) {
            throw new BackpropException(ErrorCode.MODEL_INVALID, "The trainer's loss was given as an object, and a model file "
                    + "records the loss by its plugin name; build the trainer with loss(\"name\") to save its model.");
        }
        Dataset examples = data.dataset();
        if (examples.inputSize() != network.inputSize() || examples.targetSize() != network.outputSize()) {
            throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "The data has " + examples.inputSize() + " inputs and "
                    + examples.targetSize() + " targets but the network has " + network.inputSize() + " inputs and "
                    + network.outputSize() + " outputs.");
        }
        return new Model(network, trainer.lossName(), null, data.features(), data.targets(), data.classes(), data.label());
    }

    /**
     * As {@link #of(Network, Trainer, LabelledData)}, with the names {@link LabelledData#of(Dataset)} gives.
     *
     * @param network the trained network
     * @param trainer the trainer it was trained with
     * @param data the data it was trained on
     * @return the model
     */
    public static Model of(Network network, Trainer trainer, Dataset data) {
        return of(network, trainer, LabelledData.of(data));
    }

    /**
     * @param rescaling the input rescaling the network was trained with, or {@code null} for none
     * @return this model with that rescaling applied before every prediction
     */
    public Model withNormalizer(Normalizer rescaling) {
        return new Model(network, loss, rescaling, features, targets, classes, label);
    }

    /**
     * Predicts one example from raw (not normalised) inputs. Safe to call from many threads.
     *
     * @param rawInput the inputs as in the data files
     * @return the network outputs
     */
    public double[] predict(double[] rawInput) {
        Objects.requireNonNull(rawInput, "rawInput must not be null");
        return network.predict(normalizer == null ? rawInput : normalizer.apply(rawInput));
    }

    /**
     * Predicts one example and refuses outputs that are not finite, as {@code predict} and
     * {@code evaluate} both do.
     *
     * @param rawInput the inputs as in the data files
     * @param where the example, for the message (for example {@code data.csv:12})
     * @return the network outputs, all finite
     * @throws dev.backprop.api.BackpropException ({@link dev.backprop.api.ErrorCode#DATA_INVALID}) otherwise
     */
    public double[] predictFinite(double[] rawInput, String where) {
        double[] output = predict(rawInput);
        for (double v : output) {
            if (!Double.isFinite(v)) {
                throw new dev.backprop.api.BackpropException(dev.backprop.api.ErrorCode.DATA_INVALID, where + ": the model's outputs "
                        + "are not finite (" + java.util.Arrays.toString(output).substring(0, Math.min(200,
                        java.util.Arrays.toString(output).length())) + ") for the inputs " + java.util.Arrays.toString(rawInput)
                        .substring(0, Math.min(200, java.util.Arrays.toString(rawInput).length())) + "; " + nonFiniteCause(rawInput));
            }
        }
        return output;
    }

    /** Says which layer made an example's values non-finite: an activation plugin is named as the cause. */
    private String nonFiniteCause(double[] rawInput) {
        int k = network.firstNonFiniteLayer(normalizer == null ? rawInput : normalizer.apply(rawInput));
        if (k >= 0 && network.layers().get(k) instanceof dev.backprop.core.network.ActivationLayer) {
            return "the first non-finite values came out of " + network.describeLayer(k) + " although its inputs were finite, "
                    + "so that activation plugin produced them; fix or replace the plugin.";
        }
        return (k >= 0 ? "the first non-finite values came out of " + network.describeLayer(k) + "; " : "")
                + "the inputs are far outside what the model was trained on, or the model is damaged.";
    }

    /** @return whether this is a classifier */
    public boolean isClassifier() {
        return classes != null;
    }
}
