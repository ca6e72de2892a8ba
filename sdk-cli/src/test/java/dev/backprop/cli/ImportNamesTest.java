package dev.backprop.cli;

import static dev.backprop.cli.InProcessCli.run;

import dev.backprop.cli.InProcessCli.Run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import --features/--targets/--classes/--header-from}: an ONNX graph without backprop metadata
 * (the PyTorch fixtures of sdk-onnx) named by the user evaluates on the CSV it was made for, and names
 * whose count does not fit the graph are one error naming the option and both counts.
 */
class ImportNamesTest {
    private static final Path FIXTURES = Path.of("..", "sdk-onnx", "src", "test", "resources", "fixtures");
    private static final List<String> IRIS = List.of("setosa", "versicolor", "virginica");

    @TempDir
    Path dir;

    private static List<String[]> rows(String file) throws IOException {
        return Files.readAllLines(FIXTURES.resolve(file)).stream().filter(l -> !l.isBlank()).map(l -> l.split(",")).toList();
    }

    /** torch-mlp-f32 (4 inputs, 3 softmax outputs): each input row with the class its largest output names. */
    private Path classifierCsv() throws IOException {
        List<String[]> inputs = rows("torch-mlp-f32.inputs.csv");
        List<String[]> outputs = rows("torch-mlp-f32.outputs.csv");
        List<String> lines = new ArrayList<>(List.of("sepal-length,sepal-width,petal-length,petal-width,species"));
        for (int r = 0; r < inputs.size(); r++) {
            int best = 0;
            for (int k = 1; k < 3; k++) {
                if (Double.parseDouble(outputs.get(r)[k]) > Double.parseDouble(outputs.get(r)[best])) {
                    best = k;
                }
            }
            lines.add(String.join(",", inputs.get(r)) + "," + IRIS.get(best));
        }
        return Files.write(dir.resolve("flowers.csv"), lines);
    }

    /** torch-mlp-f64 (6 inputs, 2 linear outputs): inputs and the outputs PyTorch computed, as columns. */
    private Path regressionCsv() throws IOException {
        List<String[]> inputs = rows("torch-mlp-f64.inputs.csv");
        List<String[]> outputs = rows("torch-mlp-f64.outputs.csv");
        List<String> lines = new ArrayList<>(List.of("p1,p2,p3,p4,p5,p6,lift,drag"));
        for (int r = 0; r < inputs.size(); r++) {
            lines.add(String.join(",", inputs.get(r)) + "," + String.join(",", outputs.get(r)));
        }
        return Files.write(dir.resolve("wing.csv"), lines);
    }

    @Test
    void aClassifierNamedOnTheCommandLineEvaluatesOnItsCsv() throws IOException {
        Path csv = classifierCsv();
        Path model = dir.resolve("flowers.json");
        Run imported = run("import", "--onnx", FIXTURES.resolve("torch-mlp-f32.onnx").toString(), "--out", model.toString(),
                "--features", "sepal-length,sepal-width,petal-length,petal-width", "--classes", "setosa,versicolor,virginica",
                "--target", "species");
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(Files.readString(model)).contains("\"classes\" : [ \"setosa\", \"versicolor\", \"virginica\" ]",
                "\"label\" : \"species\"", "\"loss\" : \"cross-entropy\"");
        Run evaluated = run("evaluate", "--model", model.toString(), "--data", csv.toString(), "--out", dir.toString());
        assertThat(evaluated.code()).as(evaluated.err()).isZero();
        assertThat(evaluated.out()).contains("50 examples, mean cross-entropy loss", "accuracy 100.00%");
    }

    @Test
    void aRegressionNamedFromACsvHeaderEvaluatesOnThatCsv() throws IOException {
        Path csv = regressionCsv();
        Path model = dir.resolve("wing.json");
        Run imported = run("import", "--onnx", FIXTURES.resolve("torch-mlp-f64.onnx").toString(), "--out", model.toString(),
                "--header-from", csv.toString(), "--targets", "lift,drag");
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(Files.readString(model)).contains("\"features\" : [ \"p1\", \"p2\", \"p3\", \"p4\", \"p5\", \"p6\" ]",
                "\"targets\" : [ \"lift\", \"drag\" ]", "\"classes\" : null");
        Run evaluated = run("evaluate", "--model", model.toString(), "--data", csv.toString());
        assertThat(evaluated.code()).as(evaluated.err()).isZero();
        Matcher loss = Pattern.compile("50 examples, mean squared-error loss (\\S+)").matcher(evaluated.out());
        assertThat(loss.find()).as(evaluated.out()).isTrue();
        // The model computes what PyTorch computed, in float64: no loss but rounding.
        assertThat(Double.parseDouble(loss.group(1))).isLessThan(1e-20);
        Path named = dir.resolve("named.json");
        Run byOption = run("import", "--onnx", FIXTURES.resolve("torch-mlp-f64.onnx").toString(), "--out", named.toString(),
                "--features", "p1,p2,p3,p4,p5,p6", "--targets", "lift,drag");
        assertThat(byOption.code()).as(byOption.err()).isZero();
        assertThat(Files.readString(named)).isEqualTo(Files.readString(model));
    }

    @Test
    void classesAfterAFinalSigmoidGiveTheBinaryCrossEntropyLoss() throws IOException {
        Path model = dir.resolve("s.json");
        Run imported = run("import", "--onnx", FIXTURES.resolve("torch-matmul-standardised.onnx").toString(), "--out", model.toString(),
                "--classes", "no,yes");
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(Files.readString(model)).contains("\"loss\" : \"binary-cross-entropy\"", "\"label\" : \"class\"",
                "\"features\" : [ \"x1\", \"x2\", \"x3\", \"x4\", \"x5\" ]");
    }

    @Test
    void aClassifierNamedFromACsvHeaderTakesEveryOtherColumnAsAFeature() throws IOException {
        Path csv = classifierCsv();
        Path model = dir.resolve("flowers.json");
        Run imported = run("import", "--onnx", FIXTURES.resolve("torch-mlp-f32.onnx").toString(), "--out", model.toString(),
                "--header-from", csv.toString(), "--target", "species", "--classes", "setosa,versicolor,virginica");
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(Files.readString(model)).contains("\"features\" : [ \"sepal-length\", \"sepal-width\", \"petal-length\", \"petal-width\" ]");
        Run evaluated = run("evaluate", "--model", model.toString(), "--data", csv.toString(), "--out", dir.toString());
        assertThat(evaluated.out()).as(evaluated.err()).contains("accuracy 100.00%");
    }

    @Test
    void namesThatDoNotFitTheGraphAreOneErrorNamingTheOptionAndBothCounts() throws IOException {
        Path onnx = FIXTURES.resolve("torch-mlp-f32.onnx");
        Path model = dir.resolve("m.json");
        Run features = run("import", "--onnx", onnx.toString(), "--out", model.toString(), "--features", "a,b,c");
        assertThat(features.code()).isEqualTo(2);
        assertThat(features.err().strip()).isEqualTo("error: [BP-402] --features: 3 feature names given, but the graph has 4 inputs; give 4.");
        Run classes = run("import", "--onnx", onnx.toString(), "--out", model.toString(), "--classes", "cat,dog");
        assertThat(classes.err().strip()).isEqualTo(
                "error: [BP-402] --classes: 2 classes given, but the graph has 3 outputs, one per class; give 3.");
        Run targets = run("import", "--onnx", onnx.toString(), "--out", model.toString(), "--targets", "y");
        assertThat(targets.err().strip()).isEqualTo("error: [BP-402] --targets: 1 target names given, but the graph has 3 outputs; give 3.");
        Path csv = regressionCsv();
        Run header = run("import", "--onnx", onnx.toString(), "--out", model.toString(), "--header-from", csv.toString(), "--targets", "lift");
        assertThat(header.err().strip()).isEqualTo("error: [BP-402] --header-from " + csv
                + " (its columns but the targets): 7 feature names given, but the graph has 4 inputs; give 4.");
        Run missing = run("import", "--onnx", onnx.toString(), "--out", model.toString(), "--header-from", csv.toString(), "--targets", "speed");
        assertThat(missing.err()).contains("--targets: the column 'speed' is not in the header of " + csv + "; its columns are p1, p2,");
        Run twice = run("import", "--onnx", onnx.toString(), "--out", model.toString(), "--features", "a,b,a,c");
        assertThat(twice.err()).contains("--features: the name 'a' appears twice");
        for (Run run : List.of(classes, targets, header, missing, twice)) {
            assertThat(run.code()).as(run.err()).isEqualTo(2);
        }
        assertThat(model).doesNotExist();
    }
}
