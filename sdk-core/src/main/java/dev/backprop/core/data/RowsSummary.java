package dev.backprop.core.data;

import java.io.Serializable;
import java.util.List;

/**
 * What one distributed pass over training rows that stay on a cluster tells the driver: how many rows,
 * the classes of the label column (ordered as a CSV file's classes are), and the feature columns'
 * {@link ColumnStatistics}, from which every JVM fits the same normalizer.
 *
 * @param rows the number of rows
 * @param classes the distinct labels, in one-hot order
 * @param statistics the feature columns' statistics over all rows
 * @serial exclude
 */
public record RowsSummary(long rows, List<String> classes, ColumnStatistics statistics) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Copies the list.
     *
     * @param rows the number of rows
     * @param classes the distinct labels, in one-hot order
     * @param statistics the feature columns' statistics over all rows
     */
    public RowsSummary {
        classes = List.copyOf(classes);
    }
}
