package dev.backprop.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.core.data.CsvLoader;
import dev.backprop.core.data.Normalizer;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.RunOptions;
import dev.backprop.core.model.Model;
import dev.backprop.core.network.Network;
import dev.backprop.core.network.NetworkBuilder;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.Accuracy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exported models run in ONNX Runtime (CPU) give the SDK's predictions: to 1e-12 at float64 and 1e-5
 * at float32 (see {@link Agreement} for the measure), on the iris and digits models the ready configs
 * train and on random networks using every standard activation; the {@code class} and {@code label}
 * outputs name the class the SDK predicts.
 */
class OnnxRuntimeAgreementTest {
    static final double FLOAT64_TOLERANCE = 1e-12;
    static final double FLOAT32_TOLERANCE = 1e-5;
    static final PluginRegistry REGISTRY = PluginRegistry.discover();

    @TempDir
    Path runs;

    static double tolerance(Precision precision) {
        return precision == Precision.FLOAT64 ? FLOAT64_TOLERANCE : FLOAT32_TOLERANCE;
    }

    @ParameterizedTest
    @ValueSource(strings = {"iris", "digits"})
    void realDataAgreesAtBothPrecisions(String name) throws Exception {
        ExperimentRunner runner = new ExperimentRunner(REGISTRY);
        Model model = runner.run(Path.of("..", "config", name + ".yaml"), List.of("training.epochs=15"),
                new RunOptions(runs.resolve(name), runs, null, List.of())).model();
        double[][] rows = CsvLoader.loadFeatures(Path.of("..", "config", "data", name + ".csv"), name + ".csv", model.features());
        for (Precision precision : Precision.values()) {
            Ort.Result onnx = Ort.run(OnnxExporter.export(model, precision), rows);
            double[][] sdk = new double[rows.length][];
            for (int r = 0; r < rows.length; r++) {
                sdk[r] = model.predict(rows[r]);
            }
            Agreement agreement = new Agreement();
            agreement.add(onnx.output(), sdk);
            agreement.report(name + " " + precision.label());
            assertThat(agreement.maxError).isLessThanOrEqualTo(tolerance(precision));
            int classMismatches = 0;
            for (int r = 0; r < rows.length; r++) {
                int expected = Accuracy.argMax(sdk[r], 0, sdk[r].length);
                if (onnx.classes()[r] != expected) {
                    classMismatches++;
                }
                assertThat(onnx.labels()[r]).isEqualTo(model.classes().get((int) onnx.classes()[r]));
            }
            // At float64 every predicted class is the SDK's; at float32 only a near-tie could differ.
            assertThat(classMismatches).as(precision + " class mismatches").isEqualTo(0);
        }
    }

    enum Act {
        SIGMOID("sigmoid", Map.of()), TANH("tanh", Map.of()), RELU("relu", Map.of()), LEAKY_RELU("leaky-relu", Map.of("alpha", 0.1)),
        IDENTITY("identity", Map.of()), SOFTMAX("softmax", Map.of());

        final String plugin;
        final Map<String, Object> parameters;

        Act(String plugin, Map<String, Object> parameters) {
            this.plugin = plugin;
            this.parameters = parameters;
        }
    }

    @ParameterizedTest
    @EnumSource(Act.class)
    void randomNetworksWithEachActivationAgree(Act act) throws Exception {
        for (Precision precision : Precision.values()) {
            Agreement agreement = new Agreement();
            for (int seed = 1; seed <= 5; seed++) {
                Random random = new Random(seed * 31L + act.ordinal());
                int inputs = 2 + random.nextInt(6);
                Network network = NetworkBuilder.create(REGISTRY, inputs)
                        .dense(3 + random.nextInt(8)).activation(act.plugin, act.parameters)
                        .dense(2 + random.nextInt(8), seed % 2 == 0).activation(act.plugin, act.parameters)
                        .dense(1 + random.nextInt(4)).activation(act.plugin, act.parameters)
                        .seed(seed).build();
                randomiseBiases(network, random);
                Model model = new Model(network, "squared-error", seed % 3 == 0 ? null : randomNormalizer(inputs, random),
                        names("f", inputs), names("t", network.outputSize()), null, null);
                double[][] rows = randomRows(64, inputs, random);
                agreement.add(Ort.run(OnnxExporter.export(model, precision), rows).output(), predict(model, rows));
            }
            agreement.report("random " + act.plugin + " " + precision.label());
            assertThat(agreement.maxError).isLessThanOrEqualTo(tolerance(precision));
        }
    }

    @Test
    void aNetworkMixingEveryActivationAndADropoutLayerAgrees() throws Exception {
        for (Precision precision : Precision.values()) {
            Agreement agreement = new Agreement();
            for (int seed = 1; seed <= 5; seed++) {
                Random random = new Random(seed);
                NetworkBuilder builder = NetworkBuilder.create(REGISTRY, 6);
                for (Act act : Act.values()) {
                    builder.dense(4 + random.nextInt(5)).activation(act.plugin, act.parameters);
                    if (act == Act.RELU) {
                        builder.dropout(0.3);
                    }
                }
                Network network = builder.dense(3).activation("softmax").seed(seed).build();
                randomiseBiases(network, random);
                Model model = new Model(network, "cross-entropy", randomNormalizer(6, random), names("f", 6), names("t", 3),
                        List.of("a", "b", "c"), "kind");
                double[][] rows = randomRows(100, 6, random);
                Ort.Result onnx = Ort.run(OnnxExporter.export(model, precision), rows);
                double[][] sdk = predict(model, rows);
                agreement.add(onnx.output(), sdk);
                for (int r = 0; r < rows.length; r++) {
                    assertThat(onnx.classes()[r]).isEqualTo(Accuracy.argMax(sdk[r], 0, 3));
                }
            }
            agreement.report("every activation + dropout " + precision.label());
            assertThat(agreement.maxError).isLessThanOrEqualTo(tolerance(precision));
        }
    }

    @Test
    void aSingleOutputClassifierGetsItsClassByThreshold() throws Exception {
        Random random = new Random(7);
        Network network = NetworkBuilder.create(REGISTRY, 3).dense(5).activation("tanh").dense(1).activation("sigmoid").seed(7).build();
        randomiseBiases(network, random);
        Model model = new Model(network, "binary-cross-entropy", null, names("f", 3), List.of("yes"), List.of("no", "yes"), "answer");
        double[][] rows = randomRows(200, 3, random);
        Ort.Result onnx = Ort.run(OnnxExporter.export(model, Precision.FLOAT64), rows);
        double[][] sdk = predict(model, rows);
        int positives = 0;
        for (int r = 0; r < rows.length; r++) {
            long expected = sdk[r][0] >= 0.5 ? 1 : 0;
            positives += (int) expected;
            assertThat(onnx.classes()[r]).isEqualTo(expected);
            assertThat(onnx.labels()[r]).isEqualTo(expected == 1 ? "yes" : "no");
        }
        assertThat(positives).isBetween(1, rows.length - 1);
    }

    static double[][] predict(Model model, double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = model.predict(rows[r]);
        }
        return out;
    }

    static void randomiseBiases(Network network, Random random) {
        for (var layer : network.layers()) {
            if (layer instanceof dev.backprop.core.network.DenseLayer dense && dense.hasBias()) {
                double[] bias = new double[dense.outputSize()];
                for (int j = 0; j < bias.length; j++) {
                    bias[j] = random.nextGaussian() * 0.5;
                }
                dense.setBias(bias);
            }
        }
    }

    static Normalizer randomNormalizer(int inputs, Random random) {
        double[] offset = new double[inputs];
        double[] scale = new double[inputs];
        for (int c = 0; c < inputs; c++) {
            offset[c] = random.nextGaussian() * 3;
            scale[c] = 0.1 + random.nextDouble() * 5;
        }
        return new Normalizer(random.nextBoolean() ? "standard" : "min-max", offset, scale);
    }

    /** Gaussian rows with some exact zeros, so that the kinks of relu and leaky-relu are crossed and hit. */
    static double[][] randomRows(int n, int inputs, Random random) {
        double[][] rows = new double[n][inputs];
        for (double[] row : rows) {
            for (int c = 0; c < inputs; c++) {
                row[c] = random.nextInt(10) == 0 ? 0 : random.nextGaussian() * 4;
            }
        }
        return rows;
    }

    static List<String> names(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }
}
