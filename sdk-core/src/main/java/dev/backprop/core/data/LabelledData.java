package dev.backprop.core.data;

import dev.backprop.core.training.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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

    /**
     * Names the columns of examples built in code: inputs {@code x1, x2, ...}; when the targets are
     * classes ({@link Dataset#hasClassTargets()}) the classes {@code 0, 1, ...} of a label column
     * {@code class}, else targets {@code y1, y2, ...}.
     *
     * @param dataset the examples
     * @return them with generated names
     */
    public static LabelledData of(Dataset dataset) {
        Objects.requireNonNull(dataset, "dataset must not be null");
        List<String> features = numbered("x", dataset.inputSize(), 1);
        if (!dataset.hasClassTargets()) {
            return new LabelledData(dataset, features, numbered("y", dataset.targetSize(), 1), null, null);
        }
        return classification(dataset, features, numbered("", Math.max(2, dataset.targetSize()), 0), "class");
    }

    /**
     * Describes examples whose targets are classes: one-hot rows, or one 0/1 column for two classes.
     *
     * @param dataset the examples
     * @param features the input column names, one per input
     * @param classes the class names in output order (two for a single 0/1 target)
     * @param label the name of the class-label column
     * @return the description
     * @throws IllegalArgumentException if a count does not match the data
     */
    public static LabelledData classification(Dataset dataset, List<String> features, List<String> classes, String label) {
        Objects.requireNonNull(dataset, "dataset must not be null");
        Objects.requireNonNull(classes, "classes must not be null");
        Objects.requireNonNull(label, "label must not be null");
        int expected = Math.max(2, dataset.targetSize());
        if (classes.size() != expected) {
            throw new IllegalArgumentException(classes.size() + " class names for " + dataset.targetSize()
                    + " target column(s); expected " + expected + ".");
        }
        checkCount(features, dataset.inputSize(), "feature names", "input");
        List<String> targets = dataset.targetSize() == 1 ? List.of(label) : classes;
        return new LabelledData(dataset, features, targets, classes, label);
    }

    /**
     * Describes examples whose targets are numbers (regression).
     *
     * @param dataset the examples
     * @param features the input column names, one per input
     * @param targets the target column names, one per target
     * @return the description
     * @throws IllegalArgumentException if a count does not match the data
     */
    public static LabelledData regression(Dataset dataset, List<String> features, List<String> targets) {
        Objects.requireNonNull(dataset, "dataset must not be null");
        checkCount(features, dataset.inputSize(), "feature names", "input");
        checkCount(targets, dataset.targetSize(), "target names", "target");
        return new LabelledData(dataset, features, targets, null, null);
    }

    private static void checkCount(List<String> names, int count, String what, String column) {
        Objects.requireNonNull(names, what + " must not be null");
        if (names.size() != count) {
            throw new IllegalArgumentException(names.size() + " " + what + " for " + count + " " + column + " column(s).");
        }
    }

    private static List<String> numbered(String prefix, int count, int first) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(prefix + (first + i));
        }
        return names;
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
