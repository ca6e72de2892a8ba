package dev.backprop.core.experiment;

import dev.backprop.api.EpochMetrics;
import dev.backprop.api.TrainingListener;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One plain log line per epoch (the run's files keep the full precision). */
final class EpochLog implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);

    @Override
    public void onEpochEnd(EpochMetrics m) {
        LOG.info("epoch {}: train loss {}{}{} ({} s)", m.epoch(), m.trainLoss(),
                Double.isNaN(m.validationLoss()) ? "" : ", validation loss " + m.validationLoss(),
                Double.isNaN(m.validationAccuracy()) ? "" : ", validation accuracy " + m.validationAccuracy(),
                String.format(Locale.ROOT, "%.3f", m.seconds()));
    }
}
