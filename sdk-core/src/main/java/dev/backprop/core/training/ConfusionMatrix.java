package dev.backprop.core.training;

import dev.backprop.core.network.Network;
import java.util.List;
import java.util.Locale;

/**
 * Counts of true class (row) against predicted class (column) for a classifier, with per-class
 * precision, recall and F1. Classes are decided as in {@link Accuracy}.
 */
public final class ConfusionMatrix {
    private final List<String> classes;
    private final long[][] counts;

    private ConfusionMatrix(List<String> classes, long[][] counts) {
        this.classes = List.copyOf(classes);
        this.counts = counts;
    }

    /**
     * @param network a classifier
     * @param data examples with one-hot targets (or one 0/1 target)
     * @param classes the class names in output order
     * @return the matrix
     */
    public static ConfusionMatrix of(Network network, Dataset data, List<String> classes) {
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

    /** @return a table of per-class metrics and the matrix itself */
    public String format() {
        int width = Math.max(8, classes.stream().mapToInt(String::length).max().orElse(1) + 1);
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%-" + width + "s %9s %9s %9s%n", "class", "precision", "recall", "f1"));
        for (int k = 0; k < classes.size(); k++) {
            text.append(String.format(Locale.ROOT, "%-" + width + "s %9.4f %9.4f %9.4f%n", classes.get(k), precision(k), recall(k), f1(k)));
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
