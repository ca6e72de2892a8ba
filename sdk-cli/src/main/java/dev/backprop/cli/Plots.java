package dev.backprop.cli;

import dev.backprop.api.BackpropException;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.training.ConfusionMatrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The run's pictures, drawn with XChart: learning curves and confusion matrices, written atomically as PNG. */
final class Plots {
    private Plots() {
    }

    /**
     * {@code curves.png}: train and validation loss per epoch, and beside it the accuracies when the run
     * measured them.
     */
    static void curves(List<EpochMetrics> history, Path file) {
        List<Chart<?, ?>> charts = new ArrayList<>();
        charts.add(chart("Loss", "loss", history, List.of(
                new Series("train loss", EpochMetrics::trainLoss), new Series("validation loss", EpochMetrics::validationLoss))));
        if (history.stream().anyMatch(m -> !Double.isNaN(m.trainAccuracy()))) {
            charts.add(chart("Accuracy", "accuracy", history, List.of(new Series("train accuracy", EpochMetrics::trainAccuracy),
                    new Series("validation accuracy", EpochMetrics::validationAccuracy))));
        }
        save(charts, file);
    }

    /** {@code confusion.png}: a heat map of true class (rows) against predicted class (columns). */
    static void confusion(ConfusionMatrix matrix, Path file) {
        List<String> classes = matrix.classes();
        HeatMapChart chart = new HeatMapChartBuilder().width(120 + 60 * classes.size()).height(100 + 50 * classes.size())
                .title("Confusion matrix").xAxisTitle("predicted class").yAxisTitle("true class").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setPlotContentSize(1.0);
        List<Number[]> cells = new ArrayList<>();
        for (int actual = 0; actual < classes.size(); actual++) {
            for (int predicted = 0; predicted < classes.size(); predicted++) {
                cells.add(new Number[] {predicted, actual, matrix.count(actual, predicted)});
            }
        }
        chart.addSeries("count", classes, classes, cells);
        save(List.of(chart), file);
    }

    private record Series(String name, ToDoubleFunction<EpochMetrics> value) {
    }

    private static XYChart chart(String title, String yTitle, List<EpochMetrics> history, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        chart.getStyler().setMarkerSize(history.size() > 60 ? 0 : 5);
        for (Series s : series) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (EpochMetrics m : history) {
                double v = s.value().applyAsDouble(m);
                if (!Double.isNaN(v)) {
                    x.add((double) m.epoch());
                    y.add(v);
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(s.name(), x, y).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        return chart;
    }

    private static void save(List<? extends Chart<?, ?>> charts, Path file) {
        Path target = file.toAbsolutePath();
        try {
            Path temp = dev.backprop.core.io.AtomicFiles.temporaryFor(target, ".png");
            try {
                BitmapEncoder.saveBitmap(charts, 1, charts.size(), temp.toString(), BitmapEncoder.BitmapFormat.PNG);
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new BackpropException(ErrorCode.OUTPUT_FAILED, file + ": could not be written: " + e.getMessage(), e);
        }
    }
}
