package dev.backprop.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.api.EpochMetrics;
import org.junit.jupiter.api.Test;

/** The per-epoch log line shows five significant digits; the metrics files keep every digit. */
class EpochLogTest {

    @Test
    void roundsEveryMetricToFiveSignificantDigits() {
        assertThat(EpochLog.line(new EpochMetrics(3, 0.123456789, Double.NaN, Double.NaN, Double.NaN, 0.01234, 10)))
                .isEqualTo("epoch 3: train loss 0.12346 (0.012 s)");
        assertThat(EpochLog.line(new EpochMetrics(12, 5.472600284492001E43, 0.000123456, 0.9666666666666667,
                1.0, 1.5, 10))).isEqualTo("epoch 12: train loss 5.4726e+43, train accuracy 0.96667, validation loss 0.00012346, "
                        + "validation accuracy 1.0000 (1.500 s)");
        assertThat(EpochLog.digits(2.0 / 3)).isEqualTo("0.66667");
        assertThat(EpochLog.digits(12345.678)).isEqualTo("12346");
    }
}
