package dev.backprop.cli;

import static dev.backprop.cli.InProcessCli.run;

import dev.backprop.cli.InProcessCli.Run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.model.Model;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.network.DenseLayer;
import dev.backprop.core.network.Network;
import dev.backprop.core.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export}, {@code import}, {@code predict --output/--format} and {@code train --init-from}, in-process and on the module path. */
class OnnxCommandsTest {
    private static final Path CONFIG = Path.of("..", "config");
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    static Path irisModel;

    @BeforeAll
    static void trainIris() {
        Run train = run("train", CONFIG.resolve("iris.yaml").toString(), "--quiet", "--set", "training.epochs=10",
                "--out", shared.resolve("iris").toString());
        assertThat(train.code()).as(train.err()).isZero();
        irisModel = shared.resolve("iris").resolve("model.json");
    }

    @Test
    void aFloat64ExportImportsBackToTheSameModelFile() throws Exception {
        Path onnx = dir.resolve("iris.onnx");
        Run export = run("export", "--model", irisModel.toString(), "--out", onnx.toString(), "--precision", "float64");
        assertThat(export.code()).as(export.err()).isZero();
        assertThat(export.out()).contains("float64, ONNX opset 13, IR version 7", "input [N, 4], output [N, 3], class [N], label [N]");
        Run back = run("import", "--onnx", onnx.toString(), "--out", dir.resolve("back.json").toString());
        assertThat(back.code()).as(back.err()).isZero();
        assertThat(Files.readString(dir.resolve("back.json"))).isEqualTo(Files.readString(irisModel));
        Run float32 = run("export", "--model", irisModel.toString(), "--out", dir.resolve("f32.onnx").toString());
        assertThat(float32.out()).contains("(float32,");
        // float32 weights take half the bytes of float64 ones.
        assertThat(Files.size(dir.resolve("f32.onnx"))).isLessThan(Files.size(onnx));
    }

    @Test
    void anImportedModelEvaluatesAsTheOriginalDoes() {
        Path onnx = dir.resolve("iris.onnx");
        run("export", "--model", irisModel.toString(), "--out", onnx.toString(), "--precision", "float64");
        run("import", "--onnx", onnx.toString(), "--out", dir.resolve("imported.json").toString());
        String data = CONFIG.resolve("data/iris.csv").toString();
        Run original = run("evaluate", "--model", irisModel.toString(), "--data", data);
        Run imported = run("evaluate", "--model", dir.resolve("imported.json").toString(), "--data", data);
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("accuracy");
        // Everything but the path of the confusion-matrix picture, which is drawn beside each model.
        assertThat(imported.out().lines().filter(l -> !l.startsWith("confusion matrix drawn")).toList())
                .isEqualTo(original.out().lines().filter(l -> !l.startsWith("confusion matrix drawn")).toList());
    }

    @Test
    void badArgumentsAndHostileFilesExitTwoWithOneLineAndWriteNothing() throws Exception {
        Run precision = run("export", "--model", irisModel.toString(), "--out", dir.resolve("x.onnx").toString(), "--precision", "float16");
        assertThat(precision.code()).isEqualTo(2);
        assertThat(precision.err()).contains("--precision: expected float32 or float64, got 'float16'.");
        Path truncated = dir.resolve("cut.onnx");
        run("export", "--model", irisModel.toString(), "--out", dir.resolve("whole.onnx").toString());
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(dir.resolve("whole.onnx")), 200));
        Run hostile = run("import", "--onnx", truncated.toString(), "--out", dir.resolve("m.json").toString());
        assertThat(hostile.code()).isEqualTo(2);
        assertThat(hostile.err().strip()).startsWith("error: [BP-701] " + truncated + ": not a readable ONNX (protobuf) model")
                .doesNotContain("\n").doesNotContain("at dev.backprop");
        assertThat(dir.resolve("m.json")).doesNotExist();
        Run notOnnx = run("export", "--model", dir.resolve("whole.onnx").toString(), "--out", dir.resolve("y.onnx").toString());
        assertThat(notOnnx.code()).isEqualTo(2);
        assertThat(notOnnx.err()).contains("--model: expected a model.json, got the ONNX file", "backprop import --onnx");
        assertThat(dir.resolve("x.onnx")).doesNotExist();
        assertThat(dir.resolve("y.onnx")).doesNotExist();
    }

    @Test
    void predictWritesCsvAndJsonWithRowNumbersTargetNamesAndClasses() throws Exception {
        Model model = ModelFile.read(irisModel, REGISTRY);
        Path csv = dir.resolve("p.csv");
        Run run = run("predict", "--model", irisModel.toString(), "--input", "5.1,3.5,1.4,0.2", "--input", "6.7,3.0,5.2,2.3",
                "--output", csv.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("wrote 2 predictions to " + csv);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("row,setosa,versicolor,virginica,class");
        double[][] inputs = {{5.1, 3.5, 1.4, 0.2}, {6.7, 3.0, 5.2, 2.3}};
        for (int r = 0; r < 2; r++) {
            double[] expected = model.predict(inputs[r]);
            String[] cells = lines.get(r + 1).split(",");
            assertThat(cells[0]).isEqualTo(Integer.toString(r + 1));
            for (int c = 0; c < 3; c++) {
                assertThat(Double.parseDouble(cells[c + 1])).isEqualTo(expected[c]);
            }
        }
        assertThat(lines.get(1)).endsWith(",setosa");
        assertThat(lines.get(2)).endsWith(",virginica");
        Run json = run("predict", "--model", irisModel.toString(), "--input", "5.1,3.5,1.4,0.2", "--format", "json");
        JsonNode rows = new ObjectMapper().readTree(json.out());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("row").asInt()).isEqualTo(1);
        assertThat(rows.get(0).get("outputs").get("versicolor").asDouble()).isEqualTo(model.predict(inputs[0])[1]);
        assertThat(rows.get(0).get("class").asText()).isEqualTo("setosa");
        Run stdoutCsv = run("predict", "--model", irisModel.toString(), "--input-file", CONFIG.resolve("data/iris.csv").toString(),
                "--format", "csv");
        assertThat(stdoutCsv.out().lines().count()).isEqualTo(151);
        Run bad = run("predict", "--model", irisModel.toString(), "--input", "1,2,3,4", "--format", "xml");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--format: expected csv or json, got 'xml'.");
    }

    @Test
    void initFromStartsTheNetworkWithTheModelsWeightsBitForBit() throws Exception {
        Path onnx = dir.resolve("iris.onnx");
        run("export", "--model", irisModel.toString(), "--out", onnx.toString(), "--precision", "float64");
        Model model = ModelFile.read(irisModel, REGISTRY);
        ExperimentRunner runner = new ExperimentRunner(REGISTRY);
        for (Path source : List.of(irisModel, onnx)) {
            List<String> overrides = InitFrom.overrides(runner, CONFIG.resolve("iris.yaml"), List.of(), source);
            Network start = runner.prepare(runner.load(CONFIG.resolve("iris.yaml"), overrides)).network();
            for (int k = 0; k < start.layers().size(); k++) {
                if (start.layers().get(k) instanceof DenseLayer dense) {
                    DenseLayer trained = (DenseLayer) model.network().layers().get(k);
                    assertThat(bits(dense.weights())).isEqualTo(bits(trained.weights()));
                    assertThat(bits(new double[][] {dense.bias()})).isEqualTo(bits(new double[][] {trained.bias()}));
                }
            }
        }
        Run train = run("train", CONFIG.resolve("iris.yaml").toString(), "--quiet", "--init-from", onnx.toString(),
                "--set", "training.epochs=1", "--out", dir.resolve("again").toString());
        assertThat(train.code()).as(train.err()).isZero();
        // Starting from trained weights, one epoch already classifies the test split well.
        assertThat(train.out()).containsPattern("test +loss [0-9.e-]+, accuracy (9[0-9]|100)\\.");
    }

    @Test
    void initFromAMismatchedModelIsAShapeError() {
        Run run = run("train", CONFIG.resolve("digits.yaml").toString(), "--init-from", irisModel.toString(), "--out", dir.resolve("r").toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("[BP-201]", "--init-from " + irisModel, "network.layers[0] has 64 units", "has 16");
        assertThat(dir.resolve("r")).doesNotExist();
        Run both = run("train", CONFIG.resolve("iris.yaml").toString(), "--init-from", irisModel.toString(), "--resume", dir.toString());
        assertThat(both.code()).isEqualTo(2);
        // --init-from with --resume repeats the run's starting weights (the resume hint gives both); the resume
        // is checked like any other, and this directory holds no run.
        assertThat(both.err()).contains("[BP-506]", "config.yaml: missing");
        BackpropException e = org.junit.jupiter.api.Assertions.assertThrows(BackpropException.class,
                () -> InitFrom.overrides(new ExperimentRunner(REGISTRY), CONFIG.resolve("xor.yaml"), List.of(), irisModel));
        assertThat(e.code()).isEqualTo(ErrorCode.SHAPE_MISMATCH);
    }

    @Test
    void aCommandNeverWritesOverItsOwnInput() throws Exception {
        Path data = Files.copy(CONFIG.resolve("data/iris.csv"), dir.resolve("iris.csv"));
        String before = Files.readString(data);
        Run predict = run("predict", "--model", irisModel.toString(), "--input-file", data.toString(), "--output", data.toString());
        assertThat(predict.code()).isEqualTo(2);
        assertThat(predict.err()).contains("[BP-402]", "--output " + data, "is also an input of this command");
        assertThat(Files.readString(data)).isEqualTo(before);
        Path onnx = dir.resolve("iris.onnx");
        run("export", "--model", irisModel.toString(), "--out", onnx.toString());
        byte[] exported = Files.readAllBytes(onnx);
        Run importOver = run("import", "--onnx", onnx.toString(), "--out", onnx.toString());
        assertThat(importOver.code()).isEqualTo(2);
        assertThat(Files.readAllBytes(onnx)).isEqualTo(exported);
        Run exportOver = run("export", "--model", irisModel.toString(), "--out", irisModel.toString());
        assertThat(exportOver.code()).isEqualTo(2);
    }

    @Test
    void importReadsWithAByteBound() {
        Run zero = run("import", "--onnx", "/dev/zero", "--out", dir.resolve("z.json").toString());
        assertThat(zero.code()).isEqualTo(2);
        assertThat(zero.err()).contains("[BP-701]", "/dev/zero").doesNotContain("out of memory");
        assertThat(dir.resolve("z.json")).doesNotExist();
    }

    @Test
    void aSweepNeverWritesIntoATrainingRun() throws Exception {
        Path sweepFile = Files.writeString(dir.resolve("sweep.yaml"), "base: " + CONFIG.resolve("iris.yaml").toAbsolutePath()
                + "\ngrid:\n  seed: [1, 2]\nmetric: train-loss\n");
        Run sweep = run("sweep", sweepFile.toString(), "--out", shared.resolve("iris").toString());
        assertThat(sweep.code()).isEqualTo(2);
        assertThat(sweep.err()).contains("[BP-505]", "holds a training run");
        assertThat(shared.resolve("iris/sweep.csv")).doesNotExist();
    }

    @Test
    void exportAndImportHaveHelp() {
        assertThat(run("export", "--help").out()).startsWith("Usage: backprop export").contains("--precision");
        assertThat(run("import", "--help").out()).startsWith("Usage: backprop import").contains("--onnx");
        assertThat(run("train", "--help").out()).contains("--init-from");
    }

    @Test
    void yamlNumbersCarryTheExponentSign() {
        assertThat(InitFrom.number(1e10)).isEqualTo("1.0E+10");
        assertThat(InitFrom.number(-2.5e-7)).isEqualTo("-2.5E-7");
        assertThat(InitFrom.number(0.1)).isEqualTo("0.1");
    }

    @Test
    void exportAndImportWorkOnTheModulePath() throws Exception {
        Path onnx = dir.resolve("m.onnx");
        LaunchedJvm.Result export = LaunchedJvm.onModulePath(Path.of("."), "export", "--model", irisModel.toString(), "--out", onnx.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        LaunchedJvm.Result back = LaunchedJvm.onModulePath(Path.of("."), "import", "--onnx", onnx.toString(), "--out",
                dir.resolve("m.json").toString());
        assertThat(back.exitCode()).as(back.err()).isZero();
        assertThat(ModelFile.read(dir.resolve("m.json"), REGISTRY).classes()).containsExactly("setosa", "versicolor", "virginica");
    }

    private static List<Long> bits(double[][] rows) {
        List<Long> out = new ArrayList<>();
        for (double[] row : rows) {
            for (double v : row) {
                out.add(Double.doubleToRawLongBits(v));
            }
        }
        return out;
    }
}
