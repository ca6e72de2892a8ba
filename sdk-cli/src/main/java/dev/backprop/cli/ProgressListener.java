package dev.backprop.cli;

import dev.backprop.api.EpochMetrics;
import dev.backprop.api.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar per epoch on an interactive terminal (me.tongfei:progressbar): batches done, the mean
 * loss so far, examples per second and the time left. Used only when a terminal is attached.
 */
final class ProgressListener implements TrainingListener {
    private final PrintStream out;
    private int epochs;
    private int examples;
    private int batchSize;
    private ProgressBar bar;
    private double lossSum;
    private long started;

    ProgressListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onTrainingStart(int epochs, int examples, int batchSize) {
        this.epochs = epochs;
        this.examples = examples;
        this.batchSize = batchSize;
    }

    @Override
    public void onEpochStart(int epoch) {
        lossSum = 0;
        started = System.nanoTime();
        bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                .setInitialMax((examples + batchSize - 1) / batchSize).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(out)).setUpdateIntervalMillis(200).build();
    }

    @Override
    public void onBatchEnd(int epoch, int batch, double meanLoss) {
        if (bar == null) {
            return;
        }
        lossSum += meanLoss;
        double seconds = (System.nanoTime() - started) / 1e9;
        bar.stepTo(batch);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4g, %.0f ex/s", lossSum / batch,
                Math.min(batch * (double) batchSize, examples) / Math.max(seconds, 1e-9)));
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics) {
        close();
    }

    @Override
    public void onTrainingEnd() {
        close();
    }

    void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
