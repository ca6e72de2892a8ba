package dev.backprop.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The labels Spark reads follow the rule of a CSV file's: one number written two ways is refused, not two classes. */
class SparkClassLabelsTest {
    @Test
    void oneNumberWrittenTwoWaysIsRefused() {
        // The distinct labels of a string column, as the summarising pass collects them.
        assertThatThrownBy(() -> SparkRows.classes(new TreeSet<>(List.of("2", "1", "1.0")), "parquet rows.parquet", "y"))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID))
                .hasMessage("[BP-301] parquet rows.parquet: label column 'y' has the labels '1' and '1.0', which are the same number; "
                        + "write each class one way (classes are kept as text, so they would be two classes).");
        assertThatThrownBy(() -> SparkRows.classes(new TreeSet<>(List.of("01", "1")), "dataframe d", "y"))
                .hasMessageContaining("the labels '01' and '1', which are the same number");
    }

    @Test
    void distinctNumbersAndNamesKeepTheirOrder() {
        assertThat(SparkRows.classes(new TreeSet<>(List.of("10", "2", "1.5")), "parquet p", "y")).containsExactly("1.5", "2", "10");
        assertThat(SparkRows.classes(new TreeSet<>(List.of("b", "a", "10", "9")), "parquet p", "y")).containsExactly("10", "9", "a", "b");
        // As in a CSV file, a number written two ways is refused among names too.
        assertThatThrownBy(() -> SparkRows.classes(new TreeSet<>(List.of("b", "2.50", "2.5")), "parquet p", "y"))
                .hasMessageContaining("the labels '2.5' and '2.50', which are the same number");
    }
}
