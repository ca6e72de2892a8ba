package dev.backprop.cli;

import dev.backprop.api.BackpropException;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.training.ConfusionMatrix;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.io.IoErrors;
import java.awt.Color;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.zip.CRC32;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler;
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

    /** The most classes {@code confusion.png} is drawn for: beyond them the cells and their counts are too small to read. */
    static final int MAX_DRAWN_CLASSES = 50;
    /** The most pixels of one picture (about 200 MB of image in memory while it is encoded). */
    static final long MAX_PIXELS = 50_000_000L;

    /** {@code confusion.png}: a heat map of true class (rows) against predicted class (columns). */
    static void confusion(ConfusionMatrix matrix, Path file) {
        confusion(matrix.classes(), matrix::count, file);
    }

    /** The cells of a confusion matrix. */
    interface Counts {
        /**
         * @param actual the true class
         * @param predicted the predicted class
         * @return how many examples of {@code actual} were predicted as {@code predicted}
         */
        long count(int actual, int predicted);
    }

    /** White for no examples, then a logarithmic scale, so that a cell of 1 stands out beside a diagonal of 1000. */
    private static final Color[] SCALE = {Color.WHITE, new Color(0xFEE8C8), new Color(0xFDBB84), new Color(0xFC8D59), new Color(0xE34A33)};

    /**
     * Draws a confusion matrix. The colour of a cell is {@code log10(1 + count)} on a white-to-red scale
     * whose legend is labelled in counts; every cell shows its count. Long class names are written
     * vertically under the columns so that they never overlap; the picture is wide enough for its title.
     */
    static void confusion(List<String> classes, Counts counts, Path file) {
        int k = classes.size();
        if (k > MAX_DRAWN_CLASSES) {
            throw new BackpropException(ErrorCode.OUTPUT_FAILED, k + " classes, more than the " + MAX_DRAWN_CLASSES + " a confusion "
                    + "matrix is drawn for (the cells would be too small to read)");
        }
        int longest = classes.stream().mapToInt(String::length).max().orElse(1);
        int cell = Math.max(44, Math.min(70, 7 * longest + 12));
        boolean vertical = 7 * longest + 8 > cell;
        int labelRoom = vertical ? 7 * longest + 10 : 0;
        long max = 0;
        List<Number[]> cells = new ArrayList<>();
        for (int actual = 0; actual < k; actual++) {
            for (int predicted = 0; predicted < k; predicted++) {
                long count = counts.count(actual, predicted);
                max = Math.max(max, count);
                cells.add(new Number[] {predicted, actual, count});
            }
        }
        long width = Math.max(420, 7L * longest + 200 + (long) cell * k);
        long height = Math.max(320, 150 + labelRoom + (long) cell * k);
        if (width * height > MAX_PIXELS) {
            throw new BackpropException(ErrorCode.OUTPUT_FAILED, "the picture would be " + width + " x " + height + " pixels, more than "
                    + "the " + MAX_PIXELS + " drawn (a class name of " + longest + " characters makes it that wide)");
        }
        HeatMapChart chart = new HeatMapChartBuilder().width((int) width).height((int) height)
                .title("Confusion matrix").xAxisTitle("predicted class").yAxisTitle("true class").build();
        HeatMapStyler styler = chart.getStyler();
        styler.setShowValue(true);
        styler.setPlotContentSize(1.0);
        styler.setRangeColors(logScale(Math.max(1, max)));
        styler.setMin(0);
        styler.setMax(Math.max(1, max));
        styler.setValueFontColor(Color.BLACK);
        styler.setHeatMapValueDecimalPattern("#,##0");
        styler.setXAxisLabelRotation(vertical ? 90 : 0);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.addSeries("count", classes, classes, cells);
        save(List.of(chart), file);
    }

    /**
     * XChart spreads its range colours evenly from 0 to {@code max}; giving it one colour per count (up to
     * 4,096 of them) lets the colours follow {@code log10(1 + count)} instead, so that 1 is already tinted.
     */
    static Color[] logScale(long max) {
        int stops = (int) Math.min(max, 4096) + 1;
        Color[] colours = new Color[stops];
        for (int i = 0; i < stops; i++) {
            colours[i] = colourOf(i * (double) max / (stops - 1), max);
        }
        return colours;
    }

    /** The colour of {@code count} on the white-to-red scale, logarithmic in {@code 1 + count}. */
    static Color colourOf(double count, long max) {
        if (count <= 0) {
            return SCALE[0];
        }
        double t = Math.log10(1 + count) / Math.log10(1 + max);
        double position = 1 + t * (SCALE.length - 2);
        int low = Math.min((int) Math.floor(position), SCALE.length - 2);
        double f = position - low;
        Color a = SCALE[low];
        Color b = SCALE[Math.min(low + 1, SCALE.length - 1)];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    private record Series(String name, ToDoubleFunction<EpochMetrics> value) {
    }

    private static XYChart chart(String title, String yTitle, List<EpochMetrics> history, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        chart.getStyler().setMarkerSize(history.size() > 60 ? 0 : 5);
        // Whole-epoch ticks at any count: the axis starts at 0, reaches at least 5, and long runs are drawn
        // through every step-th epoch (a round step, about 200 points) so that XChart's ticks fall on round
        // numbers instead of crowding; metrics.csv keeps every epoch.
        int last = history.isEmpty() ? 1 : history.get(history.size() - 1).epoch();
        int step = plotStep(last);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        chart.getStyler().setXAxisMin(0.0);
        if (last < 5) {
            chart.getStyler().setXAxisMax(5.0);
        }
        for (Series s : series) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (EpochMetrics m : history) {
                double v = s.value().applyAsDouble(m);
                boolean drawn = m.epoch() % step == 0 || m.epoch() == 1 || m.epoch() == last;
                if (drawn && !Double.isNaN(v)) {
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

    /** Every how many epochs a run of {@code epochs} is drawn: 1 up to 200 epochs, else a round step (1, 2 or 5 x 10^k) giving at most 200 points. */
    static int plotStep(int epochs) {
        if (epochs <= 200) {
            return 1;
        }
        double raw = epochs / 200.0;
        double decade = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double multiple : new double[] {1, 2, 5, 10}) {
            if (multiple * decade >= raw) {
                return (int) Math.round(multiple * decade);
            }
        }
        return (int) Math.round(10 * decade);
    }

    /** The PNG text chunk that marks a picture as drawn by this command: keyword {@code Software}, text {@value #SOFTWARE}. */
    static final String SOFTWARE = "backprop";
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /** @return why a picture was not drawn, for the warning */
    static String reason(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + e.getMessage() + "); give Java more with BACKPROP_JAVA_OPTS=-Xmx...";
        }
        // A BackpropException says what went wrong; anything else is named by its type, never a bare number.
        return e instanceof BackpropException b ? b.getMessage() : e.toString();
    }

    /** Turns charts into PNG bytes; a test replaces it to fail as the charting library can. */
    interface Encoder {
        void encode(List<? extends Chart<?, ?>> charts, java.io.OutputStream png) throws IOException;
    }

    static volatile Encoder encoder = (charts, png) -> BitmapEncoder.saveBitmap(charts, 1, charts.size(), png,
            BitmapEncoder.BitmapFormat.PNG);

    private static void save(List<? extends Chart<?, ?>> charts, Path file) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            encoder.encode(charts, png);
        } catch (IOException e) {
            throw new BackpropException(ErrorCode.OUTPUT_FAILED, file + ": could not be drawn: " + IoErrors.reason(e) + ".", e);
        } catch (OutOfMemoryError e) {
            // Drawing needs a few MiB of images on top of the run; a run that fitted is not failed for its picture.
            png = null;
            throw new BackpropException(ErrorCode.OUTPUT_FAILED, file + ": could not be drawn: out of memory (" + e.getMessage()
                    + "); give Java more with BACKPROP_JAVA_OPTS=-Xmx...", e);
        } catch (Error e) {
            // AWT and the charting library fail with Errors of their own (no fonts, no display libraries).
            throw new BackpropException(ErrorCode.OUTPUT_FAILED, file + ": could not be drawn: "
                    + dev.backprop.core.plugin.PluginFaults.describe(e) + ".", e);
        }
        AtomicFiles.writeBytes(file, marked(png.toByteArray()));
    }

    /** The PNG with a {@code tEXt} chunk {@code Software=backprop} after its header chunk, which {@link #isDrawnFile} looks for. */
    static byte[] marked(byte[] png) {
        int afterHeader = PNG_SIGNATURE.length + 4 + 4 + 13 + 4; // IHDR: length, type, 13 bytes of data, CRC
        byte[] data = ("Software\0" + SOFTWARE).getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer chunk = ByteBuffer.allocate(4 + 4 + data.length + 4);
        chunk.putInt(data.length).put("tEXt".getBytes(StandardCharsets.ISO_8859_1)).put(data);
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 4, 4 + data.length);
        chunk.putInt((int) crc.getValue());
        byte[] out = new byte[png.length + chunk.capacity()];
        System.arraycopy(png, 0, out, 0, afterHeader);
        System.arraycopy(chunk.array(), 0, out, afterHeader, chunk.capacity());
        System.arraycopy(png, afterHeader, out, afterHeader + chunk.capacity(), png.length - afterHeader);
        return out;
    }

    /**
     * Whether a file is a picture this command drew: a PNG whose text chunks, before its image data, include
     * {@code Software=backprop}. {@code evaluate} replaces such a {@code confusion.png} without {@code --overwrite}.
     *
     * @param file any existing file
     * @return {@code false} for anything else, including a file that cannot be read
     */
    static boolean isDrawnFile(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)))) {
            byte[] signature = new byte[PNG_SIGNATURE.length];
            in.readFully(signature);
            if (!Arrays.equals(signature, PNG_SIGNATURE)) {
                return false;
            }
            for (int chunks = 0; chunks < 64; chunks++) {
                int length = in.readInt();
                byte[] type = new byte[4];
                in.readFully(type);
                String name = new String(type, StandardCharsets.ISO_8859_1);
                if (length < 0 || name.equals("IDAT") || name.equals("IEND")) {
                    return false;
                }
                if (name.equals("tEXt") && length <= 1024) {
                    byte[] text = new byte[length];
                    in.readFully(text);
                    if (new String(text, StandardCharsets.ISO_8859_1).equals("Software\0" + SOFTWARE)) {
                        return true;
                    }
                    in.skipNBytes(4);
                } else {
                    in.skipNBytes(length + 4L);
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
