package dev.backprop.core.experiment;

import dev.backprop.api.EpochMetrics;
import dev.backprop.api.TrainingListener;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One plain log line per epoch, with five significant digits ({@code metrics.csv} and {@code metrics.jsonl} keep every digit). */
final class EpochLog implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);

    @Override
    public void onEpochEnd(EpochMetrics m) {
        LOG.info(line(m));
    }

    static String line(EpochMetrics m) {
        StringBuilder text = new StringBuilder("epoch ").append(m.epoch()).append(": train loss ").append(digits(m.trainLoss()));
        if (!Double.isNaN(m.trainAccuracy())) {
            text.append(", train accuracy ").append(digits(m.trainAccuracy()));
        }
        if (!Double.isNaN(m.validationLoss())) {
            text.append(", validation loss ").append(digits(m.validationLoss()));
        }
        if (!Double.isNaN(m.validationAccuracy())) {
            text.append(", validation accuracy ").append(digits(m.validationAccuracy()));
        }
        return text.append(String.format(Locale.ROOT, " (%.3f s)", m.seconds())).toString();
    }

    /** Five significant digits, without a trailing exponent for ordinary magnitudes: 0.12346, 1.2346e+43. */
    static String digits(double value) {
        return String.format(Locale.ROOT, "%.5g", value);
    }
}
