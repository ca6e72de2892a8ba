package dev.backprop.core.data;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The statistics a {@link Normalizer} is fitted from, one pass over the rows: per input column the
 * count, minimum, maximum, and the exact sums of the values and of their squares ({@link ExactSum}). Two
 * halves {@linkplain #merge merged} give the same numbers as one pass over all the rows, in any order,
 * so a cluster's partitions and a local run fit the same normalizer bit for bit.
 *
 * @serial exclude
 */
public final class ColumnStatistics implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final MathContext WIDE = new MathContext(60);

    private final double[] min;
    private final double[] max;
    private final ExactSum[] sums;
    private final ExactSum[] squares;
    private long count;

    /** @param columns the number of input columns */
    public ColumnStatistics(int columns) {
        min = new double[columns];
        max = new double[columns];
        sums = new ExactSum[columns];
        squares = new ExactSum[columns];
        for (int c = 0; c < columns; c++) {
            min[c] = Double.POSITIVE_INFINITY;
            max[c] = Double.NEGATIVE_INFINITY;
            sums[c] = new ExactSum();
            squares[c] = new ExactSum();
        }
    }

    /** @param row one row's inputs, finite */
    public void add(double[] row) {
        for (int c = 0; c < min.length; c++) {
            double v = row[c];
            min[c] = Math.min(min[c], v);
            max[c] = Math.max(max[c], v);
            sums[c].add(v);
            squares[c].addProduct(v, v);
        }
        count++;
    }

    /**
     * @param other statistics of other rows, added into these
     * @return this
     */
    public ColumnStatistics merge(ColumnStatistics other) {
        for (int c = 0; c < min.length; c++) {
            min[c] = Math.min(min[c], other.min[c]);
            max[c] = Math.max(max[c], other.max[c]);
            sums[c].merge(other.sums[c]);
            squares[c].merge(other.squares[c]);
        }
        count += other.count;
        return this;
    }

    /** @return the number of rows */
    public long count() {
        return count;
    }

    /**
     * @param method {@code standard} (offset the mean, scale the population standard deviation, both from
     *     the exact sums, rounded once) or {@code min-max}
     * @return the normalizer these rows give; a column without spread keeps a scale of 1
     */
    public Normalizer normalizer(String method) {
        int d = min.length;
        double[] offset = new double[d];
        double[] scale = new double[d];
        BigDecimal n = BigDecimal.valueOf(count);
        for (int c = 0; c < d; c++) {
            if (method.equals("min-max")) {
                offset[c] = min[c];
                scale[c] = max[c] - min[c];
            } else {
                BigDecimal sum = sums[c].value();
                offset[c] = sum.divide(n, WIDE).doubleValue();
                // n * sum(v^2) - (sum v)^2, over n^2: the population variance, exact until this division
                BigDecimal spread = n.multiply(squares[c].value()).subtract(sum.multiply(sum));
                scale[c] = Math.sqrt(spread.divide(n.multiply(n), WIDE).doubleValue());
            }
            if (!(scale[c] > 0)) {
                scale[c] = 1.0;
            }
        }
        return new Normalizer(method, offset, scale);
    }
}
