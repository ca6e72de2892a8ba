package dev.backprop.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one rule for class labels that CSV files and the rows Spark reads share. */
class ClassLabelRuleTest {
    @Test
    void findsTheFirstNumberWrittenTwoWaysInTheOrderGiven() {
        assertThat(CsvLoader.sameNumberTwoWays(List.of("1", "2", "1", "1.0", "2.00"))).containsExactly("1", "1.0");
        assertThat(CsvLoader.sameNumberTwoWays(List.of("x", "-0.50", "01", "-0.5"))).containsExactly("-0.50", "-0.5");
        assertThat(CsvLoader.sameNumberTwoWays(List.of("007", "7"))).containsExactly("007", "7");
    }

    @Test
    void distinctNumbersNamesAndRepeatsAreAllowed() {
        assertThat(CsvLoader.sameNumberTwoWays(List.of("1", "1", "10", "0.1", "1e0", "one", "1.0x"))).isEmpty();
        assertThat(CsvLoader.sameNumberTwoWays(List.of())).isEmpty();
    }
}
