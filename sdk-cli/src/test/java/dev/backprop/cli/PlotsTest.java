package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.api.EpochMetrics;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The pictures a person reads: whole epochs on the curves' axis at any epoch count; a confusion matrix
 * whose colours tell one error from none beside a large diagonal, with room for its title and labels.
 * The PNGs are kept in target/plots for a look.
 */
class PlotsTest {
    private static final Path OUT = Path.of("target", "plots");

    @Test
    void longRunsAreDrawnThroughRoundEpochSteps() {
        assertThat(Plots.plotStep(1)).isEqualTo(1);
        assertThat(Plots.plotStep(200)).isEqualTo(1);
        assertThat(Plots.plotStep(201)).isEqualTo(2);
        assertThat(Plots.plotStep(1000)).isEqualTo(5);
        assertThat(Plots.plotStep(25000)).isEqualTo(200);
        assertThat(Plots.plotStep(40000)).isEqualTo(200);
        assertThat(Plots.plotStep(40001)).isEqualTo(500);
    }

    @Test
    void curvesAreDrawnForAnyEpochCount() throws Exception {
        Files.createDirectories(OUT);
        for (int epochs : new int[] {1, 3, 40, 150, 1000, 25000}) {
            List<EpochMetrics> history = new ArrayList<>();
            for (int e = 1; e <= epochs; e++) {
                history.add(new EpochMetrics(e, 1.0 / e, 1.2 / e, 1 - 0.5 / e, 1 - 0.6 / e, 0.01, 100));
            }
            Path file = OUT.resolve("curves-" + epochs + ".png");
            Plots.curves(history, file);
            BufferedImage image = ImageIO.read(file.toFile());
            assertThat(image.getWidth()).isEqualTo(1280);
            assertThat(image.getHeight()).isEqualTo(420);
        }
    }

    @Test
    void confusionColoursTellOneErrorFromNone() throws Exception {
        Files.createDirectories(OUT);
        List<String> classes = List.of("Iris-setosa", "Iris-versicolor", "Iris-virginica");
        long[][] counts = {{1000, 0, 0}, {0, 997, 1}, {0, 3, 1000}};
        Path file = OUT.resolve("confusion-iris.png");
        Plots.confusion(classes, (a, p) -> counts[a][p], file);
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isGreaterThanOrEqualTo(420);
        // Along the middle row of cells (true class versicolor: 0, 997, 1) the long runs of one colour are
        // the cells: white for none, and two different non-white colours for 997 and for a single error.
        List<Integer> cells = longRuns(image, image.getHeight() / 2, 15);
        assertThat(cells).contains(0xFFFFFF);
        assertThat(cells.stream().filter(c -> c != 0xFFFFFF).distinct().count()).as("colours %s", cells).isGreaterThanOrEqualTo(2);
        // On a linear scale one error beside 1,000 would be 0.1% of the way to red; here it is a quarter of the way (log10 2 / log10 1001).
        assertThat(Plots.colourOf(0, 1000)).isEqualTo(java.awt.Color.WHITE);
        java.awt.Color one = Plots.colourOf(1, 1000);
        assertThat(one).isNotEqualTo(java.awt.Color.WHITE);
        assertThat(255 - one.getBlue()).as("blue lost at one error").isGreaterThan(60);
        assertThat(Plots.colourOf(1000, 1000)).isEqualTo(new java.awt.Color(0xE34A33));
        assertThat(Plots.logScale(1000)).hasSize(1001).startsWith(java.awt.Color.WHITE);
        assertThat(Plots.logScale(1000)[1]).isEqualTo(one);

        List<String> digits = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        Plots.confusion(digits, (a, p) -> a == p ? 178 : (a == 8 && p == 1 ? 4 : (a + p) % 7 == 0 ? 1 : 0), OUT.resolve("confusion-digits.png"));
        Plots.confusion(List.of("0", "1"), (a, p) -> a == p ? 2 : 1, OUT.resolve("confusion-two.png"));
        assertThat(ImageIO.read(OUT.resolve("confusion-two.png").toFile()).getWidth()).isGreaterThanOrEqualTo(420);
    }

    /** The colours of the runs of at least {@code length} equal pixels along row {@code y}, left to right. */
    private static List<Integer> longRuns(BufferedImage image, int y, int length) {
        List<Integer> colours = new ArrayList<>();
        int start = 0;
        for (int x = 1; x <= image.getWidth(); x++) {
            if (x == image.getWidth() || image.getRGB(x, y) != image.getRGB(start, y)) {
                int rgb = image.getRGB(start, y) & 0xFFFFFF;
                if (x - start >= length && rgb != 0xD3D3D3 && rgb != 0xEEEEEE) {
                    colours.add(rgb);
                }
                start = x;
            }
        }
        return colours;
    }

    /**
     * With a tiny heap (BACKPROP_JAVA_OPTS=-Xmx16m) the charting library ran out of memory after the run was
     * trained and saved, and train failed with BP-901: a picture that cannot be drawn is a warning with the
     * reason, and the command succeeds. The encoder seam fails as XChart's BitmapEncoder did.
     */
    @Test
    void aPictureTheHeapCannotHoldIsAWarningAndTheRunSucceeds(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Plots.Encoder original = Plots.encoder;
        Plots.encoder = (charts, png) -> {
            throw new OutOfMemoryError("Java heap space");
        };
        try {
            Path csv = Files.writeString(dir.resolve("xor.csv"), "a,b,label\n0,0,no\n0,1,yes\n1,0,yes\n1,1,no\n");
            Path config = Files.writeString(dir.resolve("c.yaml"), "name: tiny-heap\nseed: 1\nnetwork:\n  layers:\n    - dense: 3\n"
                    + "    - activation: tanh\n    - dense: 2\n    - activation: softmax\nloss: cross-entropy\noptimizer: sgd\n"
                    + "training: {epochs: 2, batch-size: 2}\ndata:\n  train: {csv: " + csv + ", label: label}\n");
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            Path run = dir.resolve("run");
            int code = Main.run(new String[] {"train", config.toString(), "--out", run.toString(), "--quiet"},
                    new java.io.PrintWriter(out), new java.io.PrintWriter(err));
            assertThat(code).as(err.toString()).isZero();
            assertThat(err.toString()).contains("warning: " + run.resolve("curves.png") + " was not drawn: ",
                    "could not be drawn: out of memory (Java heap space); give Java more with BACKPROP_JAVA_OPTS=-Xmx")
                    .doesNotContain("BP-901");
            assertThat(run.resolve("model.json")).exists();
            assertThat(run.resolve("curves.png")).doesNotExist();

            code = Main.run(new String[] {"evaluate", "--model", run.resolve("model.json").toString(), "--data", csv.toString(), "--out", dir.toString()},
                    new java.io.PrintWriter(out), new java.io.PrintWriter(err));
            assertThat(code).as(err.toString()).isZero();
            assertThat(err.toString()).contains("warning: " + dir.resolve("confusion.png") + " was not drawn: ",
                    "out of memory (Java heap space)");
        } finally {
            Plots.encoder = original;
        }
    }
}
