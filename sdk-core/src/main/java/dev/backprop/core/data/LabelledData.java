package dev.backprop.core.data;

import dev.backprop.core.training.Dataset;
import java.util.List;

/**
 * Examples together with what their columns mean.
 *
 * @param dataset the examples
 * @param features the names of the input columns
 * @param targets the names of the target columns (for a classifier: the classes)
 * @param classes the class labels in one-hot order, or {@code null} for regression
 * @param label the name of the class-label column, or {@code null}
 */
public record LabelledData(Dataset dataset, List<String> features, List<String> targets, List<String> classes, String label) {

    /**
     * Copies the lists.
     *
     * @param dataset the examples
     * @param features the names of the input columns
     * @param targets the names of the target columns (for a classifier: the classes)
     * @param classes the class labels in one-hot order, or {@code null} for regression
     * @param label the name of the class-label column, or {@code null}
     */
    public LabelledData {
        features = List.copyOf(features);
        targets = List.copyOf(targets);
        classes = classes == null ? null : List.copyOf(classes);
    }

    /** @return whether the targets are one-hot classes (accuracy applies) */
    public boolean isClassification() {
        return classes != null;
    }

    /**
     * @param replacement other examples with the same columns
     * @return this description with {@code replacement} as the examples
     */
    public LabelledData with(Dataset replacement) {
        return new LabelledData(replacement, features, targets, classes, label);
    }
}
