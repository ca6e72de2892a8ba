package dev.backprop.core.experiment;

import dev.backprop.api.EpochMetrics;
import dev.backprop.api.TrainingListener;
import dev.backprop.core.io.AtomicFiles;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes {@code metrics.csv} as the run goes: after every epoch the whole file is rewritten atomically,
 * so a run that stops at epoch 40 leaves exactly 40 complete rows. Values that do not apply are empty.
 */
final class MetricsCsv implements TrainingListener {
    static final String HEADER = "epoch,train_loss,validation_loss,train_accuracy,validation_accuracy,seconds";

    private final Path file;
    private final StringBuilder content = new StringBuilder(HEADER).append('\n');

    MetricsCsv(Path file) {
        this.file = file;
        AtomicFiles.writeString(file, content.toString());
    }

    @Override
    public void onEpochEnd(EpochMetrics m) {
        content.append(m.epoch()).append(',').append(cell(m.trainLoss())).append(',').append(cell(m.validationLoss()))
                .append(',').append(cell(m.trainAccuracy())).append(',').append(cell(m.validationAccuracy()))
                .append(',').append(String.format(Locale.ROOT, "%.6f", m.seconds())).append('\n');
        AtomicFiles.writeString(file, content.toString());
    }

    private static String cell(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }
}
