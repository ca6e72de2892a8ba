package dev.backprop.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.core.model.Model;
import dev.backprop.core.network.ActivationLayer;
import dev.backprop.core.network.DenseLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ONNX files written by independent producers (PyTorch's exporter and the onnx package's helpers; see
 * {@code src/test/resources/fixtures/generate.py}) import and predict what their producer computed, stored
 * beside them: to 1e-12 for float64 graphs and 1e-5 for float32 ones.
 */
class ProducerFixturesTest {
    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures");

    static double[][] csv(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> !line.isBlank())
                .map(line -> Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray()).toArray(double[][]::new);
    }

    @ParameterizedTest
    @CsvSource({"torch-mlp-f32, 1e-5", "torch-mlp-f64, 1e-12", "torch-matmul-standardised, 1e-12", "helper-gemm, 1e-12"})
    void importedFixturesPredictWhatTheirProducerComputed(String name, double tolerance) throws Exception {
        Model model = OnnxImporter.read(FIXTURES.resolve(name + ".onnx"), OnnxRuntimeAgreementTest.REGISTRY);
        double[][] inputs = csv(FIXTURES.resolve(name + ".inputs.csv"));
        double[][] expected = csv(FIXTURES.resolve(name + ".outputs.csv"));
        Agreement agreement = new Agreement();
        agreement.add(OnnxRuntimeAgreementTest.predict(model, inputs), expected);
        agreement.report("fixture " + name);
        assertThat(agreement.values).isEqualTo((long) expected.length * expected[0].length);
        assertThat(agreement.maxError).isLessThanOrEqualTo(tolerance);
    }

    @Test
    void theTorchMlpHasTheLayersPyTorchDescribed() throws Exception {
        Model model = OnnxImporter.read(FIXTURES.resolve("torch-mlp-f32.onnx"), OnnxRuntimeAgreementTest.REGISTRY);
        assertThat(model.network().layers()).extracting(l -> l.describe()).containsExactly(
                new DenseLayer(4, 8, true).describe(), "relu(8)", new DenseLayer(8, 6, true).describe(), "leaky-relu(6)",
                new DenseLayer(6, 3, true).describe(), "softmax(3)");
        assertThat(((ActivationLayer) model.network().layers().get(3)).activationParameters().get("alpha")).isEqualTo((double) 0.2f);
        assertThat(model.features()).containsExactly("x1", "x2", "x3", "x4");
        assertThat(model.loss()).isEqualTo("cross-entropy");
        assertThat(model.classes()).isNull();
    }

    @Test
    void metadataNamesTheColumnsAndClassesAndTheNormalisationIsRead() throws Exception {
        Model helper = OnnxImporter.read(FIXTURES.resolve("helper-gemm.onnx"), OnnxRuntimeAgreementTest.REGISTRY);
        assertThat(helper.features()).containsExactly("a", "b", "c");
        assertThat(helper.classes()).containsExactly("no", "yes");
        assertThat(helper.label()).isEqualTo("answer");
        assertThat(helper.normalizer().offset()).containsExactly(0, 0, 0);
        Model torch = OnnxImporter.read(FIXTURES.resolve("torch-matmul-standardised.onnx"), OnnxRuntimeAgreementTest.REGISTRY);
        assertThat(torch.normalizer()).isNotNull();
        assertThat(torch.network().layers()).hasSize(4);
        assertThat(List.of(torch.normalizer().scale().length, torch.network().outputSize())).containsExactly(5, 2);
    }
}
