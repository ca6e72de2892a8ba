package dev.backprop.core.rundir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.TrainingListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code metrics.csv} and {@code metrics.jsonl} as the run goes: after every epoch each file is
 * rewritten atomically, both or neither, so a run that stops at epoch 40 leaves exactly 40 complete rows in each. Values
 * that do not apply are empty in the CSV and {@code null} in the JSON lines.
 */
public final class MetricsFiles implements TrainingListener {
    /** The first line of {@code metrics.csv}. */
    public static final String HEADER = "epoch,train_loss,validation_loss,train_accuracy,validation_accuracy,seconds";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path csv;
    private final Path jsonl;
    private final StringBuilder csvText = new StringBuilder(HEADER).append('\n');
    private final StringBuilder jsonText = new StringBuilder();

    /**
     * @param directory the run directory
     * @param earlier the metrics of epochs already done (a resumed run), possibly empty
     */
    MetricsFiles(Path directory, List<EpochMetrics> earlier) {
        this.csv = directory.resolve("metrics.csv");
        this.jsonl = directory.resolve("metrics.jsonl");
        earlier.forEach(this::append);
        flush();
    }

    @Override
    public void onEpochEnd(EpochMetrics m) {
        append(m);
        flush();
    }

    private void append(EpochMetrics m) {
        csvText.append(m.epoch()).append(',').append(cell(m.trainLoss())).append(',').append(cell(m.validationLoss()))
                .append(',').append(cell(m.trainAccuracy())).append(',').append(cell(m.validationAccuracy()))
                .append(',').append(String.format(Locale.ROOT, "%.6f", m.seconds())).append('\n');
        ObjectNode row = JSON.createObjectNode();
        row.put("epoch", m.epoch());
        put(row, "train_loss", m.trainLoss());
        put(row, "validation_loss", m.validationLoss());
        put(row, "train_accuracy", m.trainAccuracy());
        put(row, "validation_accuracy", m.validationAccuracy());
        row.put("seconds", m.seconds());
        jsonText.append(row).append('\n');
    }

    private void flush() {
        // Both or neither: the two files never disagree by a row, even when the disk is full.
        java.util.Map<Path, String> files = new java.util.LinkedHashMap<>();
        files.put(csv, csvText.toString());
        files.put(jsonl, jsonText.toString());
        RunDirectory.writeTogether(files);
    }

    private static String cell(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    private static void put(ObjectNode row, String field, double value) {
        if (Double.isNaN(value)) {
            row.putNull(field);
        } else {
            row.put(field, value);
        }
    }
}
