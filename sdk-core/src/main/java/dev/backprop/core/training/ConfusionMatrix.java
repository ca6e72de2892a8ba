package dev.backprop.core.training;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.network.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Counts of true class (row) against predicted class (column) for a classifier, with per-class
 * precision, recall and F1. Classes are decided as in {@link Accuracy}.
 */
public final class ConfusionMatrix {
    /**
     * The most classes whose matrix {@link #format()} prints: a wider one does not fit a terminal's line (and
     * 5,000 classes would print 25,000,000 counts), so above it only the per-class table is printed.
     */
    public static final int MAX_PRINTED_CLASSES = 30;

    private final List<String> classes;
    private final long[][] counts;

    private ConfusionMatrix(List<String> classes, long[][] counts) {
        this.classes = List.copyOf(classes);
        this.counts = counts;
    }

    /**
     * A matrix whose classes are named by their index: {@code "0"}, {@code "1"}, ...
     *
     * @param network a classifier
     * @param data examples with one-hot targets (or one 0/1 target)
     * @return the matrix
     */
    public static ConfusionMatrix of(Network network, Dataset data) {
        Objects.requireNonNull(network, "network must not be null");
        List<String> names = new ArrayList<>();
        for (int k = 0; k < Math.max(2, network.outputSize()); k++) {
            names.add(String.valueOf(k));
        }
        return of(network, data, names);
    }

    /**
     * @param network a classifier
     * @param data examples with one-hot targets (or one 0/1 target)
     * @param classes the class names in output order: one per output, or two for a single-output network
     * @return the matrix
     * @throws NullPointerException naming the argument that is null (use {@link #of(Network, Dataset)}
     *     for classes named by index)
     * @throws BackpropException ({@link ErrorCode#SHAPE_MISMATCH}) if the number of classes does not fit
     *     the network, or the data does not fit the network
     */
    public static ConfusionMatrix of(Network network, Dataset data, List<String> classes) {
        Objects.requireNonNull(network, "network must not be null");
        Objects.requireNonNull(data, "data must not be null");
        Objects.requireNonNull(classes, "classes must not be null; use ConfusionMatrix.of(network, data) for classes named 0, 1, ...");
        int expected = Math.max(2, network.outputSize());
        if (classes.size() != expected) {
            throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "The confusion matrix was given " + classes.size()
                    + " class names but the network's " + network.outputSize() + " output(s) make " + expected + " classes.");
        }
        if (data.inputSize() != network.inputSize() || data.targetSize() != network.outputSize()) {
            throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "The data has " + data.inputSize() + " inputs and "
                    + data.targetSize() + " targets but the network has " + network.inputSize() + " inputs and "
                    + network.outputSize() + " outputs.");
        }
        int k = classes.size();
        long[][] counts = new long[k][k];
        double[][] outputs = new double[data.size()][];
        for (int r = 0; r < data.size(); r++) {
            outputs[r] = data.input(r);
        }
        outputs = network.predict(outputs);
        for (int r = 0; r < data.size(); r++) {
            counts[classOf(data.target(r))][classOf(outputs[r])]++;
        }
        return new ConfusionMatrix(classes, counts);
    }

    private static int classOf(double[] values) {
        return values.length == 1 ? (values[0] >= 0.5 ? 1 : 0) : Accuracy.argMax(values, 0, values.length);
    }

    /**
     * @param actual the true class index
     * @param predicted the predicted class index
     * @return how many examples of class {@code actual} were predicted as {@code predicted}
     */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** @return the class names */
    public List<String> classes() {
        return classes;
    }

    /**
     * @param k a class index
     * @return correct predictions of {@code k} over all predictions of {@code k} (NaN if none)
     */
    public double precision(int k) {
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[k];
        }
        return predicted == 0 ? Double.NaN : (double) counts[k][k] / predicted;
    }

    /**
     * @param k a class index
     * @return correct predictions of {@code k} over all examples of {@code k} (NaN if none)
     */
    public double recall(int k) {
        long actual = 0;
        for (long c : counts[k]) {
            actual += c;
        }
        return actual == 0 ? Double.NaN : (double) counts[k][k] / actual;
    }

    /**
     * @param k a class index
     * @return the harmonic mean of precision and recall (NaN if either is undefined, 0 if both are 0)
     */
    public double f1(int k) {
        double p = precision(k);
        double r = recall(k);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** @return the fraction of examples on the diagonal */
    public double accuracy() {
        long correct = 0;
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts.length; j++) {
                total += counts[i][j];
                if (i == j) {
                    correct += counts[i][j];
                }
            }
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /**
     * @return a table of per-class metrics and the matrix itself, or for more than {@link #MAX_PRINTED_CLASSES}
     *     classes the table and a line saying that the matrix was not printed
     */
    public String format() {
        int width = Math.max(8, classes.stream().mapToInt(String::length).max().orElse(1) + 1);
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%-" + width + "s %9s %9s %9s%n", "class", "precision", "recall", "f1"));
        for (int k = 0; k < classes.size(); k++) {
            text.append(String.format(Locale.ROOT, "%-" + width + "s %9.4f %9.4f %9.4f%n", classes.get(k), precision(k), recall(k), f1(k)));
        }
        if (classes.size() > MAX_PRINTED_CLASSES) {
            text.append(String.format(Locale.ROOT, "%nconfusion matrix not printed: %d classes, more than the %d it is printed for; "
                    + "the table above gives each class's precision, recall and f1%n", classes.size(), MAX_PRINTED_CLASSES));
            return text.toString();
        }
        text.append(String.format(Locale.ROOT, "%nconfusion matrix (rows: true class, columns: predicted)%n%-" + width + "s", ""));
        for (String c : classes) {
            text.append(String.format(Locale.ROOT, " %" + width + "s", c));
        }
        text.append('\n');
        for (int i = 0; i < classes.size(); i++) {
            text.append(String.format(Locale.ROOT, "%-" + width + "s", classes.get(i)));
            for (int j = 0; j < classes.size(); j++) {
                text.append(String.format(Locale.ROOT, " %" + width + "d", counts[i][j]));
            }
            text.append('\n');
        }
        return text.toString();
    }
}
