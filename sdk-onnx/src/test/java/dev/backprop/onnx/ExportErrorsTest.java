package dev.backprop.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.Activation;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.ExportableActivation;
import dev.backprop.api.ExportableActivation.Operand;
import dev.backprop.core.model.Model;
import dev.backprop.core.network.Network;
import dev.backprop.core.network.NetworkBuilder;
import dev.backprop.core.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin activation that cannot be exported is named with its layer, and nothing is written; one that describes itself is exported. */
class ExportErrorsTest {
    static final PluginRegistry REGISTRY = OnnxRuntimeAgreementTest.REGISTRY;

    @TempDir
    Path dir;

    /** softsign, x / (1 + |x|), with no export description. */
    static final class Softsign implements Activation {
        @Override
        public void forward(double[] net, double[] out, int rows, int cols) {
            for (int i = 0; i < rows * cols; i++) {
                out[i] = net[i] / (1 + Math.abs(net[i]));
            }
        }

        @Override
        public void backward(double[] net, double[] out, double[] gradOut, double[] gradNet, int rows, int cols) {
            throw new UnsupportedOperationException();
        }
    }

    /** The same function, described as ONNX's Softsign operator. */
    static final class ExportableSoftsign implements Activation, ExportableActivation {
        private final Softsign softsign = new Softsign();

        @Override
        public void forward(double[] net, double[] out, int rows, int cols) {
            softsign.forward(net, out, rows, cols);
        }

        @Override
        public void backward(double[] net, double[] out, double[] gradOut, double[] gradNet, int rows, int cols) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Step> exportSteps() {
            return List.of(Step.of("Softsign"));
        }
    }

    /** 2 * sigmoid(x) - 1, described as a chain with constants. */
    static final class ScaledSigmoid implements Activation, ExportableActivation {
        @Override
        public void forward(double[] net, double[] out, int rows, int cols) {
            for (int i = 0; i < rows * cols; i++) {
                out[i] = 2 * (1 / (1 + Math.exp(-net[i]))) - 1;
            }
        }

        @Override
        public void backward(double[] net, double[] out, double[] gradOut, double[] gradNet, int rows, int cols) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Step> exportSteps() {
            return List.of(Step.of("Sigmoid"), Step.of("Mul", List.of(Operand.previous(), Operand.constant(2)), Map.of()),
                    Step.of("Sub", List.of(Operand.previous(), Operand.constant(1)), Map.of()));
        }
    }

    /**
     * The plugin guide's softplus, ln(1 + e^x) computed as max(x, 0) + ln(1 + e^-|x|), described with
     * operators ONNX Runtime has at both precisions (its Softplus operator is float32 only).
     */
    static final class Softplus implements Activation, ExportableActivation {
        @Override
        public void forward(double[] net, double[] out, int rows, int cols) {
            for (int i = 0; i < rows * cols; i++) {
                out[i] = Math.max(net[i], 0) + Math.log1p(Math.exp(-Math.abs(net[i])));
            }
        }

        @Override
        public void backward(double[] net, double[] out, double[] gradOut, double[] gradNet, int rows, int cols) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Step> exportSteps() {
            return List.of(Step.of("Relu", List.of(Operand.input()), Map.of()),            // 0: max(x, 0)
                    Step.of("Abs", List.of(Operand.input()), Map.of()),                     // 1: |x|
                    Step.of("Neg"), Step.of("Exp"),                                         // 2, 3: e^-|x|
                    Step.of("Add", List.of(Operand.previous(), Operand.constant(1)), Map.of()),
                    Step.of("Log"),                                                         // 5: ln(1 + e^-|x|)
                    Step.of("Add", List.of(Operand.step(0), Operand.previous()), Map.of()));
        }
    }

    /** Refers to a step that comes later. */
    static final class Forward implements Activation, ExportableActivation {
        @Override
        public void forward(double[] net, double[] out, int rows, int cols) {
            System.arraycopy(net, 0, out, 0, rows * cols);
        }

        @Override
        public void backward(double[] net, double[] out, double[] gradOut, double[] gradNet, int rows, int cols) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Step> exportSteps() {
            return List.of(Step.of("Add", List.of(Operand.input(), Operand.step(1)), Map.of()), Step.of("Identity"));
        }
    }

    /** An activation whose forward pass is never run here, only its export description. */
    interface ExportableSoftsignLike extends Activation, ExportableActivation {
        @Override
        default void forward(double[] net, double[] out, int rows, int cols) {
            throw new UnsupportedOperationException();
        }

        @Override
        default void backward(double[] net, double[] out, double[] gradOut, double[] gradNet, int rows, int cols) {
            throw new UnsupportedOperationException();
        }
    }

    static Model model(String name, Activation activation) {
        Network network = NetworkBuilder.create(REGISTRY, 3).dense(4).activation("tanh").dense(2).activation(name, activation).seed(5).build();
        return new Model(network, "squared-error", null, List.of("a", "b", "c"), List.of("y", "z"), null, null);
    }

    @Test
    void anActivationWithoutAnExportDescriptionIsNamedWithItsLayerAndNothingIsWritten() {
        Path file = dir.resolve("model.onnx");
        assertThatThrownBy(() -> OnnxExporter.write(model("softsign", new Softsign()), Precision.FLOAT32, file))
                .isInstanceOfSatisfying(BackpropException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ONNX_EXPORT_UNSUPPORTED);
                    assertThat(e.getMessage()).contains("layers[3]", "softsign(2)", "activation plugin 'softsign'", Softsign.class.getName(),
                            "ExportableActivation", "nothing was written");
                });
        assertThat(dir.toFile().list()).isEmpty();
        assertThatThrownBy(() -> OnnxExporter.write(model("forward", new Forward()), Precision.FLOAT64, file))
                .isInstanceOfSatisfying(BackpropException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ONNX_EXPORT_UNSUPPORTED);
                    assertThat(e.getMessage()).contains("layers[3] forward(2): activation plugin 'forward', step 0 refers to step 1,",
                            "not an earlier step");
                });
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void pluginActivationsThatDescribeThemselvesRunInOnnxRuntime() throws Exception {
        double[][] rows = OnnxRuntimeAgreementTest.randomRows(50, 3, new java.util.Random(3));
        for (Precision precision : Precision.values()) {
            Model softplus = model("softplus", new Softplus());
            Agreement measured = new Agreement();
            measured.add(Ort.run(OnnxExporter.export(softplus, precision), rows).output(), OnnxRuntimeAgreementTest.predict(softplus, rows));
            measured.report("plugin softplus " + precision.label());
            assertThat(measured.maxError).isLessThanOrEqualTo(OnnxRuntimeAgreementTest.tolerance(precision));
            Model model = model("scaled-sigmoid", new ScaledSigmoid());
            Agreement agreement = new Agreement();
            agreement.add(Ort.run(OnnxExporter.export(model, precision), rows).output(), OnnxRuntimeAgreementTest.predict(model, rows));
            assertThat(agreement.maxError).isLessThanOrEqualTo(OnnxRuntimeAgreementTest.tolerance(precision));
        }
        // ONNX Runtime's own Softplus and Softsign kernels are float32 only.
        Model onnxSoftplus = model("softplus", (ExportableSoftsignLike) () -> List.of(ExportableActivation.Step.of("Softplus")));
        Agreement single = new Agreement();
        single.add(Ort.run(OnnxExporter.export(onnxSoftplus, Precision.FLOAT32), rows).output(),
                OnnxRuntimeAgreementTest.predict(model("softplus", new Softplus()), rows));
        assertThat(single.maxError).isLessThanOrEqualTo(OnnxRuntimeAgreementTest.FLOAT32_TOLERANCE);
        assertThatThrownBy(() -> Ort.run(OnnxExporter.export(onnxSoftplus, Precision.FLOAT64), rows))
                .hasMessageContaining("Could not find an implementation for Softplus");
        Model softsign = model("softsign", new ExportableSoftsign());
        Agreement agreement = new Agreement();
        agreement.add(Ort.run(OnnxExporter.export(softsign, Precision.FLOAT32), rows).output(), OnnxRuntimeAgreementTest.predict(softsign, rows));
        assertThat(agreement.maxError).isLessThanOrEqualTo(OnnxRuntimeAgreementTest.FLOAT32_TOLERANCE);
        // The plugin's chain is written as given: ONNX Runtime's CPU provider has no float64 Softsign kernel.
        assertThatThrownBy(() -> Ort.run(OnnxExporter.export(softsign, Precision.FLOAT64), rows))
                .hasMessageContaining("Could not find an implementation for Softsign");
    }

    @Test
    void anImportOfAnUnsupportedPluginOperatorIsRefusedNamingTheNode() {
        byte[] bytes = OnnxExporter.export(model("softsign", new ExportableSoftsign()), Precision.FLOAT64);
        assertThatThrownBy(() -> OnnxImporter.parse(bytes, Path.of("soft.onnx"), REGISTRY))
                .isInstanceOfSatisfying(BackpropException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ONNX_INVALID);
                    assertThat(e.getMessage()).contains("soft.onnx", "node 'layers.3' (Softsign)", "operator 'Softsign' is not supported",
                            "Supported operators: Gemm");
                });
        assertThat(Files.exists(dir.resolve("x"))).isFalse();
    }
}
