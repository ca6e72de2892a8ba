package dev.backprop.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad CSV data gives one error naming the config place, the CSV file, its line and column. */
class CsvErrorsTest {
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ragged row      | a,b,label\\n1,2,x\\n3,x\\n           | data.csv:3: the row has 2 cells but the header has 3 columns.",
        "non-numeric     | a,b,label\\n1,2,x\\n3,abc,y\\n      | data.csv:3, column 'b': expected a finite decimal number such as 5.1 or -2e-3, got 'abc'.",
        "NaN             | a,b,label\\n1,NaN,x\\n              | data.csv:2, column 'b': NaN is not allowed; only finite numbers are.",
        "infinite        | a,b,label\\n1,2,x\\n-Infinity,1,y\\n | data.csv:3, column 'a': -Infinity is not allowed",
        "unknown label   | a,b,lable\\n1,2,x\\n                | data.csv: no label column 'label'. Did you mean 'lable'? Columns: a, b, lable.",
        "empty dataset   | a,b,label\\n                        | data.csv: the dataset is empty: the file has a header but no data rows.",
        "empty file      | ''                                  | data.csv: the file is empty",
        "empty label     | a,b,label\\n1,2,\\n                 | data.csv:2, column 'label': the label is empty.",
        "unclosed quote  | a,b,label\\n\"1,2,x\\n3,4,y\\n        | data.csv:2: a quoted cell is never closed",
        "after the quote | a,b,label\\n\"1\"x,2,y\\n            | data.csv:2: text follows the closing quote of a cell"})
    void badCsvIsReportedWithFileLineAndColumn(String what, String content, String expected) throws IOException {
        Files.writeString(dir.resolve("data.csv"), content.equals("''") ? "" : content.replace("\\n", "\n"));
        Path config = writeConfig("{csv: data.csv, label: label}");
        assertThatThrownBy(() -> prepare(config))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID))
                .hasMessageContaining(config + ":5:10: data.train: ")
                .hasMessageContaining(expected);
    }

    @Test
    void missingFileNamesWhereItLooked() throws IOException {
        Path config = writeConfig("{csv: nowhere.csv, label: label}");
        assertThatThrownBy(() -> prepare(config))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_FAILED))
                .hasMessageContaining("data.train: nowhere.csv: no such file (looked for " + dir.resolve("nowhere.csv") + ").");
    }

    @Test
    void unseenClassInTestDataIsNamed() throws IOException {
        Files.writeString(dir.resolve("data.csv"), "a,b,label\n1,2,x\n3,4,y\n");
        Files.writeString(dir.resolve("test.csv"), "a,b,label\n1,2,z\n");
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, "network:\n  layers: [{dense: 2}]\ndata:\n  train: {csv: data.csv, label: label}\n"
                + "  test: {csv: test.csv, label: label}\n");
        assertThatThrownBy(() -> prepare(config))
                .hasMessageContaining("data.test: test.csv:2, column 'label': the class 'z' does not occur in the training data; known classes: x, y.");
    }

    @Test
    void classesAreOneHotInNumericOrderAndRegressionTargetsAreKept() throws IOException {
        Files.writeString(dir.resolve("n.csv"), "\uFEFFa,digit\n0.5,10\n1.5,2\n2.5,9\n");
        LabelledData classes = CsvLoader.from(dir.resolve("n.csv")).shownAs("n.csv").label("digit").load();
        assertThat(classes.classes()).containsExactly("2", "9", "10");
        assertThat(classes.features()).containsExactly("a");
        assertThat(classes.dataset().target(0)).containsExactly(0, 0, 1);
        assertThat(classes.dataset().input(2)).containsExactly(2.5);
        LabelledData regression = CsvLoader.from(dir.resolve("n.csv")).shownAs("n.csv").targets("digit").load();
        assertThat(regression.isClassification()).isFalse();
        assertThat(regression.dataset().target(0)).containsExactly(10.0);
    }

    private Path writeConfig(String source) throws IOException {
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, "network:\n  layers: [{dense: 2}]\n\ndata:\n  train: " + source + "\n");
        return config;
    }

    private static void prepare(Path config) {
        ExperimentRunner runner = new ExperimentRunner(REGISTRY);
        runner.prepare(runner.load(config, List.of()));
    }
}
