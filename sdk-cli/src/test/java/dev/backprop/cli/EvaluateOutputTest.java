package dev.backprop.cli;

import static dev.backprop.cli.InProcessCli.run;

import dev.backprop.cli.InProcessCli.Run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@code evaluate} draws confusion.png: a file given as the folder is one clear error; a failed drawing says why. */
class EvaluateOutputTest {
    private static final Path CONFIG = Path.of("..", "config");

    @TempDir
    static Path trained;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() {
        Run run = run("train", CONFIG.resolve("iris.yaml").toString(), "--out", trained.resolve("iris").toString(), "--set",
                "training.epochs=2", "--quiet");
        assertThat(run.code()).as(run.err()).isZero();
    }

    private static Run evaluate(Path out) {
        return run("evaluate", "--model", trained.resolve("iris/model.json").toString(), "--data",
                CONFIG.resolve("data/iris.csv").toString(), "--out", out.toString());
    }

    @Test
    void aFileGivenAsTheOutputFolderIsOneErrorNamingItAsNotADirectory() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "mine");
        Run run = evaluate(notes);
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("[BP-503] " + notes + ": --out is the folder confusion.png is drawn in, but " + notes
                + " is a file, not a directory").doesNotContain("already exists");
        assertThat(run.err().lines().filter(l -> l.contains("BP-"))).hasSize(1);
        assertThat(run.out()).doesNotContain("examples");
        assertThat(notes).hasContent("mine");

        Run below = evaluate(notes.resolve("plots"));
        assertThat(below.code()).isEqualTo(1);
        assertThat(below.err()).contains(notes.resolve("plots") + ": could not create the folder: not a directory.");
    }

    @Test
    void aConfusionMatrixThatCannotBeDrawnIsAWarningWithTheOperatingSystemsReason() {
        // sysfs refuses new files even to root, so the reason is the same for every user.
        Path readOnly = Path.of("/sys/kernel");
        assumeTrue(Files.isDirectory(readOnly));
        Run run = evaluate(readOnly);
        assertThat(run.err()).contains("warning: " + readOnly.resolve("confusion.png") + " was not drawn: ")
                .contains("could not be written: permission denied.");
        assertThat(run.out()).contains("150 examples");
    }

    /** Trains a model of {@code classes} classes on two rows each, for one epoch, and evaluates it on the same rows. */
    private Run evaluateManyClasses(int classes) throws Exception {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int r = 0; r < 2 * classes; r++) {
            csv.append(r % 7).append(',').append(r % 5).append(",c").append(r % classes).append('\n');
        }
        Path data = Files.writeString(dir.resolve("many.csv"), csv.toString());
        Path config = Files.writeString(dir.resolve("many.yaml"), "network:\n  layers: [{dense: " + classes + "}, {activation: softmax}]\n"
                + "loss: cross-entropy\ntraining: {epochs: 1, batch-size: 8}\ndata:\n  train: {csv: many.csv, label: label}\n");
        Run train = run("train", config.toString(), "--out", dir.resolve("run").toString(), "--quiet");
        assertThat(train.code()).as(train.err()).isZero();
        return run("evaluate", "--model", dir.resolve("run/model.json").toString(), "--data", data.toString(), "--out",
                dir.resolve("eval").toString());
    }

    @Test
    void aMatrixOfMoreThanThirtyClassesIsNotPrintedButDrawn() throws Exception {
        Run run = evaluateManyClasses(40);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("80 examples").contains("c39 ")
                .contains("confusion matrix not printed: 40 classes, more than the 30 it is printed for; the table above gives "
                        + "each class's precision, recall and f1")
                .doesNotContain("rows: true class");
        assertThat(run.err()).doesNotContain("warning");
        assertThat(dir.resolve("eval/confusion.png")).isNotEmptyFile();
    }

    @Test
    void aMatrixOfMoreThanFiftyClassesIsNotDrawnAndTheWarningSaysWhy() throws Exception {
        Run run = evaluateManyClasses(60);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("120 examples").contains("confusion matrix not printed: 60 classes")
                .doesNotContain("rows: true class");
        assertThat(run.out().lines().count()).as("the per-class table and a few lines").isLessThan(70);
        assertThat(run.err()).isEqualToIgnoringNewLines("warning: " + dir.resolve("eval/confusion.png") + " was not drawn: the model "
                + "has 60 classes, more than the 50 a confusion matrix is drawn for (the cells would be too small to read).");
        assertThat(dir.resolve("eval/confusion.png")).doesNotExist();
    }
}
