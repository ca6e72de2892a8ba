package dev.backprop.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.core.model.Model;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.network.DenseLayer;
import dev.backprop.core.network.Network;
import dev.backprop.core.network.NetworkBuilder;
import dev.backprop.core.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A float64 export read back by the importer is the same model, bit for bit; a float32 one has the weights rounded to float. */
class RoundTripTest {
    static final PluginRegistry REGISTRY = OnnxRuntimeAgreementTest.REGISTRY;

    @TempDir
    Path dir;

    static Model everyActivation(long seed, boolean classifier) {
        Random random = new Random(seed);
        NetworkBuilder builder = NetworkBuilder.create(REGISTRY, 5);
        for (OnnxRuntimeAgreementTest.Act act : OnnxRuntimeAgreementTest.Act.values()) {
            builder.dense(3 + random.nextInt(4), act != OnnxRuntimeAgreementTest.Act.TANH).activation(act.plugin, act.parameters);
        }
        Network network = builder.dense(3).activation("softmax").seed(seed).build();
        OnnxRuntimeAgreementTest.randomiseBiases(network, random);
        return new Model(network, classifier ? "cross-entropy" : "squared-error", OnnxRuntimeAgreementTest.randomNormalizer(5, random),
                List.of("a", "b,c", "d \"e\"", "f", "ü"), List.of("p", "q", "r"),
                classifier ? List.of("setosa", "versicolor", "virginica") : null, classifier ? "species" : null);
    }

    @Test
    void aFloat64ExportImportsBackToTheSameModelFile() {
        for (long seed = 1; seed <= 5; seed++) {
            Model model = everyActivation(seed, seed % 2 == 1);
            Model back = OnnxImporter.parse(OnnxExporter.export(model, Precision.FLOAT64), Path.of("m.onnx"), REGISTRY);
            // model.json writes every double in its shortest round-trip form, so equal text is equal bits.
            assertThat(ModelFile.toJson(back)).isEqualTo(ModelFile.toJson(model));
            for (int k = 0; k < model.network().layers().size(); k++) {
                if (model.network().layers().get(k) instanceof DenseLayer dense) {
                    DenseLayer other = (DenseLayer) back.network().layers().get(k);
                    for (int j = 0; j < dense.outputSize(); j++) {
                        for (int i = 0; i < dense.inputSize(); i++) {
                            assertThat(Double.doubleToRawLongBits(other.weight(j, i))).isEqualTo(Double.doubleToRawLongBits(dense.weight(j, i)));
                        }
                    }
                }
            }
        }
    }

    @Test
    void aFloat32ExportImportsWithTheWeightsRoundedToFloat() {
        Model model = everyActivation(3, true);
        Model back = OnnxImporter.parse(OnnxExporter.export(model, Precision.FLOAT32), Path.of("m.onnx"), REGISTRY);
        for (int k = 0; k < model.network().layers().size(); k++) {
            if (model.network().layers().get(k) instanceof DenseLayer dense) {
                DenseLayer other = (DenseLayer) back.network().layers().get(k);
                for (int j = 0; j < dense.outputSize(); j++) {
                    for (int i = 0; i < dense.inputSize(); i++) {
                        assertThat(other.weight(j, i)).isEqualTo((double) (float) dense.weight(j, i));
                    }
                }
            }
        }
        // LeakyRelu's alpha is a 32-bit ONNX attribute at float32.
        assertThat(back.network().layers().stream().filter(l -> l instanceof dev.backprop.core.network.ActivationLayer a
                && a.activationName().equals("leaky-relu")).map(l -> ((dev.backprop.core.network.ActivationLayer) l).activationParameters())
                .toList()).containsExactly(Map.of("alpha", (double) 0.1f));
        assertThat(back.classes()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(back.features()).containsExactly("a", "b,c", "d \"e\"", "f", "ü");
    }

    @Test
    void writingIsAtomicAndReadsBackFromTheFile() throws Exception {
        Model model = everyActivation(2, false);
        Path file = dir.resolve("sub").resolve("model.onnx");
        OnnxExporter.write(model, Precision.FLOAT64, file);
        assertThat(Files.list(file.getParent()).map(p -> p.getFileName().toString()).toList()).containsExactly("model.onnx");
        assertThat(ModelFile.toJson(OnnxImporter.read(file, REGISTRY))).isEqualTo(ModelFile.toJson(model));
    }
}
