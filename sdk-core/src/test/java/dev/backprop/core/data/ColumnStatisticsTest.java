package dev.backprop.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.core.training.Dataset;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Exact sums and the column statistics a normalizer is fitted from: the same numbers in any order and split. */
class ColumnStatisticsTest {
    private static double[] extremes(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(-323, 308));
        }
        values[0] = 1e308;
        values[1] = 1e308; // the double sum overflows; the exact one does not
        values[2] = -Double.MAX_VALUE;
        values[3] = Double.MIN_VALUE;
        values[4] = -0.0;
        values[5] = 1.0;
        values[6] = 1e-16;
        return values;
    }

    private static BigDecimal reference(double[] values) {
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : values) {
            sum = sum.add(new BigDecimal(v));
        }
        return sum;
    }

    @Test
    void theSumIsExactInAnyOrderAndAnySplit() {
        double[] values = extremes(5_000, 3);
        BigDecimal expected = reference(values);
        ExactSum whole = new ExactSum();
        for (double v : values) {
            whole.add(v);
        }
        assertThat(whole.value().compareTo(expected)).isZero();
        List<Double> shuffled = new ArrayList<>();
        for (double v : values) {
            shuffled.add(v);
        }
        Collections.shuffle(shuffled, new Random(9));
        ExactSum[] parts = {new ExactSum(), new ExactSum(), new ExactSum()};
        for (int i = 0; i < shuffled.size(); i++) {
            parts[i % 3].add(shuffled.get(i));
        }
        parts[2].merge(parts[0]);
        parts[2].merge(parts[1]);
        assertThat(parts[2].value().compareTo(expected)).isZero();
    }

    @Test
    void productsAreAddedExactly() {
        ExactSum squares = new ExactSum();
        double v = 0.1; // 0.1 * 0.1 is not a double
        squares.addProduct(v, v);
        BigDecimal exact = new BigDecimal(v).multiply(new BigDecimal(v));
        assertThat(squares.value().compareTo(exact)).isZero();
        assertThatThrownBy(() -> squares.add(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manyAdditionsFoldTheirCarries() {
        ExactSum sum = new ExactSum();
        for (int i = 0; i < 3_000_000; i++) {
            sum.add(Double.MAX_VALUE);
            sum.add(4294967295.0);
        }
        BigDecimal expected = new BigDecimal(Double.MAX_VALUE).add(new BigDecimal(4294967295.0)).multiply(BigDecimal.valueOf(3_000_000));
        assertThat(sum.value().compareTo(expected)).isZero();
    }

    @Test
    void theNormalizerIsTheExactMeanAndDeviationRoundedOnceWhateverTheSplit() {
        SplittableRandom random = new SplittableRandom(4);
        double[][] x = new double[999][3];
        double[][] y = new double[999][1];
        for (double[] row : x) {
            row[0] = random.nextDouble(-1e6, 1e6);
            row[1] = 1e8 + random.nextDouble(); // a large mean and a small spread
            row[2] = 7.0; // no spread
        }
        Normalizer fitted = Normalizer.fit("standard", Dataset.of(x, y));
        MathContext wide = new MathContext(80);
        for (int c = 0; c < 2; c++) {
            BigDecimal sum = BigDecimal.ZERO;
            for (double[] row : x) {
                sum = sum.add(new BigDecimal(row[c]));
            }
            BigDecimal mean = sum.divide(BigDecimal.valueOf(999), wide);
            BigDecimal squares = BigDecimal.ZERO;
            for (double[] row : x) {
                BigDecimal d = new BigDecimal(row[c]).subtract(mean);
                squares = squares.add(d.multiply(d));
            }
            assertThat(fitted.offset()[c]).isEqualTo(mean.doubleValue());
            double deviation = Math.sqrt(squares.divide(BigDecimal.valueOf(999), wide).doubleValue());
            assertThat(fitted.scale()[c]).isEqualTo(deviation);
        }
        assertThat(fitted.offset()[2]).isEqualTo(7.0);
        assertThat(fitted.scale()[2]).isEqualTo(1.0);

        ColumnStatistics a = new ColumnStatistics(3);
        ColumnStatistics b = new ColumnStatistics(3);
        for (int r = 998; r >= 0; r--) {
            (r % 5 == 0 ? a : b).add(x[r]);
        }
        for (String method : List.of("standard", "min-max")) {
            Normalizer merged = new ColumnStatistics(3).merge(b).merge(a).normalizer(method);
            Normalizer whole = Normalizer.fit(method, Dataset.of(x, y));
            assertThat(merged.offset()).isEqualTo(whole.offset());
            assertThat(merged.scale()).isEqualTo(whole.scale());
        }
    }
}
