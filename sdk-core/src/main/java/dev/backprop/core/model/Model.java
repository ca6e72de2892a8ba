package dev.backprop.core.model;

import dev.backprop.core.data.Normalizer;
import dev.backprop.core.network.Network;
import java.util.List;
import java.util.Objects;

/**
 * A trained network with what is needed to use it on raw data: the input normalisation it was trained
 * with, the names of its input and output columns, and for a classifier its classes. Saved and loaded as
 * {@code model.json} by {@link ModelFile}.
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
    }

    /**
     * Predicts one example from raw (not normalised) inputs. Safe to call from many threads.
     *
     * @param rawInput the inputs as in the data files
     * @return the network outputs
     */
    public double[] predict(double[] rawInput) {
        return network.predict(normalizer == null ? rawInput : normalizer.apply(rawInput));
    }

    /** @return whether this is a classifier */
    public boolean isClassifier() {
        return classes != null;
    }
}
