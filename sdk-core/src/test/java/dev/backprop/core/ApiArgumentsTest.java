package dev.backprop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ElementwiseActivation;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.data.Normalizer;
import dev.backprop.core.data.Splits;
import dev.backprop.core.data.SyntheticData;
import dev.backprop.core.model.Model;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.network.Network;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.Dataset;
import dev.backprop.core.training.EarlyStopping;
import dev.backprop.core.training.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an embedding application meets when it passes a wrong argument: one exception that names the
 * argument or the value, never a failure from deep inside, and no file that cannot be read back.
 */
class ApiArgumentsTest {
    private static final Backprop BACKPROP = Backprop.create();
    private static final Dataset XOR = Dataset.of(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}},
            new double[][] {{0}, {1}, {1}, {0}});

    @TempDir
    Path dir;

    @Test
    void aNormalizerThatCouldNotBeReadBackIsRefusedWhenMade() {
        assertThatThrownBy(() -> new Normalizer("standard", new double[] {0, 0}, new double[] {0, 1}))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID))
                .hasMessageContaining("column 0").hasMessageContaining("scale 0.0");
        assertThatThrownBy(() -> Normalizer.fit("zscore", XOR)).hasMessageContaining("unknown normalization method 'zscore'")
                .hasMessageContaining("standard, min-max");
        assertThatThrownBy(() -> new Normalizer("min-max", new double[] {0}, new double[] {1, 2}))
                .hasMessageContaining("1 offsets and 2 scales");
        // A normalizer of the wrong width never reaches a model, so save cannot write one.
        Network network = BACKPROP.network(2).dense(1).activation("sigmoid").build();
        Trainer trainer = BACKPROP.trainer().epochs(1).build();
        Model model = Model.of(network, trainer, XOR);
        assertThatThrownBy(() -> model.withNormalizer(new Normalizer("standard", new double[] {0, 0, 0}, new double[] {1, 1, 1})))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SHAPE_MISMATCH))
                .hasMessageContaining("rescales 3 input columns but the network has 2 inputs");
        assertThatThrownBy(() -> new Normalizer("standard", new double[] {0, 0}, new double[] {1, 1}).apply(new double[] {1}))
                .hasMessageContaining("rescales 2 input columns but the example has 1");
    }

    @Test
    void aModelFileThatContradictsItselfIsRefused() throws IOException {
        Network network = BACKPROP.network(2).dense(1).activation("sigmoid").build();
        Path file = dir.resolve("model.json");
        BACKPROP.save(network, BACKPROP.trainer().loss("squared-error").epochs(1).build(), XOR, file);
        String saved = Files.readString(file);
        assertThat(BACKPROP.load(file).classes()).hasSize(2);

        Path threeClasses = Files.writeString(dir.resolve("three.json"), saved.replaceFirst("\"classes\" : \\[[^]]*]",
                "\"classes\" : [ \"a\", \"b\", \"c\" ]"));
        assertThatThrownBy(() -> ModelFile.read(threeClasses, BACKPROP.plugins()))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INVALID))
                .hasMessageContaining("classes").hasMessageContaining("needs 2 distinct class names, got [a, b, c]");
        Path twice = Files.writeString(dir.resolve("twice.json"), saved.replaceFirst("\"classes\" : \\[[^]]*]",
                "\"classes\" : [ \"x\", \"x\" ]"));
        assertThatThrownBy(() -> ModelFile.read(twice, BACKPROP.plugins())).hasMessageContaining("distinct class names");
        Path unknownLoss = Files.writeString(dir.resolve("loss.json"), saved.replaceFirst("\"loss\" : \"squared-error\"",
                "\"loss\" : \"nope\""));
        assertThatThrownBy(() -> ModelFile.read(unknownLoss, BACKPROP.plugins())).hasMessageContaining("loss")
                .hasMessageContaining("nope");
        Path extra = Files.writeString(dir.resolve("extra.json"), saved.replaceFirst("\\{", "{ \"extra\" : 1,"));
        assertThatThrownBy(() -> ModelFile.read(extra, BACKPROP.plugins())).hasMessageContaining("extra: unknown field; allowed: format");
    }

    @Test
    void aPluginThatFailsWhilePredictingIsReportedAsAPluginFault() {
        Network network = BACKPROP.network(2).dense(2).activation("thrower", new ElementwiseActivation() {
            @Override
            public double apply(double net) {
                throw new IllegalStateException("thrower forward");
            }

            @Override
            public double derivative(double net, double out) {
                return 0;
            }
        }).dense(1).build();
        assertThatThrownBy(() -> network.predict(new double[] {1, 1}))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_FAILED))
                .hasMessageContaining("layers[1]").hasMessageContaining("'thrower'").hasMessageContaining("thrower forward");
    }

    @Test
    void badValuesAreSdkErrorsThatNameThem() {
        assertThatThrownBy(() -> Splits.split(XOR, 1, -0.1)).isInstanceOf(BackpropException.class)
                .hasMessageContaining("[0, 1), got -0.1");
        assertThatThrownBy(() -> SyntheticData.generate("squares", 10, 2, 0, 1)).isInstanceOf(BackpropException.class)
                .hasMessageContaining("'squares'").hasMessageContaining("xor, spirals, circles");
        assertThatThrownBy(() -> SyntheticData.generate("circles", -5, 2, 0, 1)).isInstanceOf(BackpropException.class)
                .hasMessageContaining("got -5");
        assertThatThrownBy(() -> SyntheticData.generate("circles", Integer.MAX_VALUE, 2, 0, 1)).isInstanceOf(BackpropException.class);
        assertThatThrownBy(() -> XOR.subset(new int[] {9})).isInstanceOf(BackpropException.class)
                .hasMessageContaining("subset index 0 is 9; the dataset's examples are 0..3");
        Network network = BACKPROP.network(2).dense(1).build();
        assertThatThrownBy(() -> network.layer(-1)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("layer index -1 is outside 0..0");
        assertThatThrownBy(() -> network.denseLayerAt(5)).hasMessageContaining("layer index 5 is outside 0..0");
    }

    @Test
    void nullArgumentsAreNamed() {
        Network network = BACKPROP.network(2).dense(1).build();
        Trainer trainer = BACKPROP.trainer().epochs(1).build();
        List<Runnable> calls = List.of(
                () -> Dataset.of(null, new double[][] {{1}}),
                () -> XOR.subset(null),
                () -> Splits.split(null, 1, 0.5),
                () -> SyntheticData.generate(null, 4, 2, 0, 1),
                () -> new EarlyStopping(null, 2, 0, true),
                () -> Normalizer.fit(null, XOR),
                () -> trainer.evaluate(null, XOR),
                () -> trainer.evaluate(network, null),
                () -> PluginRegistry.builder().include(null),
                () -> network.predict((double[]) null),
                () -> ModelFile.read(dir.resolve("m.json"), null));
        for (int i = 0; i < calls.size(); i++) {
            assertThatThrownBy(calls.get(i)::run).as("call %d", i).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("must not be null");
        }
        assertThatThrownBy(() -> Dataset.of(new double[][] {{1}, null}, new double[][] {{1}, {2}}))
                .isInstanceOf(BackpropException.class).hasMessageContaining("Row 1 of the inputs is null");
    }
}
