package dev.backprop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.PluginParameters;
import dev.backprop.core.data.CsvLoader;
import dev.backprop.core.data.LabelledData;
import dev.backprop.core.experiment.RunOptions;
import dev.backprop.core.model.Model;
import dev.backprop.core.network.DenseLayer;
import dev.backprop.core.network.Network;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.ConfusionMatrix;
import dev.backprop.core.training.Dataset;
import dev.backprop.core.training.Evaluation;
import dev.backprop.core.training.Trainer;
import dev.backprop.core.training.TrainingHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The application-facing API: what it does without reading the source (issue 15). */
class EmbeddingApiTest {
    private static final Backprop BACKPROP = Backprop.create();
    private static final double[][] XOR_IN = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    private static final Dataset XOR_ONE_HOT = Dataset.of(XOR_IN, new double[][] {{1, 0}, {0, 1}, {0, 1}, {1, 0}});

    private static Network xorClassifier() {
        return BACKPROP.network(2).dense(8).activation("tanh").dense(2).activation("softmax").seed(3).build();
    }

    @Test
    void accuracyIsMeasuredWheneverTheTargetsAreClassesWithoutAFlag() {
        Network network = xorClassifier();
        Trainer trainer = BACKPROP.trainer().loss("cross-entropy").optimizer("adam", Map.of("learning-rate", 0.05))
                .epochs(300).batchSize(4).seed(1).build();
        TrainingHistory history = trainer.fit(network, XOR_ONE_HOT);
        assertThat(history.epochs().get(history.epochs().size() - 1).trainAccuracy()).isEqualTo(1.0);

        // Before training, accuracy must match an independent count of argmax hits.
        Network fresh = xorClassifier();
        int hits = 0;
        for (int r = 0; r < 4; r++) {
            double[] out = fresh.predict(XOR_IN[r]);
            int predicted = out[1] > out[0] ? 1 : 0;
            hits += XOR_ONE_HOT.target(r)[predicted] == 1 ? 1 : 0;
        }
        Evaluation evaluation = trainer.evaluate(fresh, XOR_ONE_HOT);
        assertThat(evaluation.accuracy()).isEqualTo(hits / 4.0);

        Dataset regression = Dataset.of(XOR_IN, new double[][] {{0.5}, {0.25}, {2}, {0}});
        Network line = BACKPROP.network(2).dense(1).seed(1).build();
        assertThat(BACKPROP.trainer().build().evaluate(line, regression).accuracy()).isNaN();
        assertThat(BACKPROP.trainer().classification(false).build().evaluate(fresh, XOR_ONE_HOT).accuracy()).isNaN();
        assertThat(XOR_ONE_HOT.hasClassTargets()).isTrue();
        assertThat(Dataset.of(XOR_IN, new double[][] {{0}, {1}, {1}, {0}}).hasClassTargets()).isTrue();
        assertThat(Dataset.of(XOR_IN, new double[][] {{1, 1}, {0, 1}, {0, 1}, {1, 0}}).hasClassTargets()).isFalse();
        assertThat(regression.hasClassTargets()).isFalse();
    }

    @Test
    void everyPluginKindTakesANameAloneWithItsDefaults() {
        Network a = xorClassifier();
        Network b = xorClassifier();
        BACKPROP.trainer().loss("cross-entropy").optimizer("adam").schedule("cosine").epochs(20).seed(2).build().fit(a, XOR_ONE_HOT);
        BACKPROP.trainer().loss("cross-entropy", Map.of()).optimizer("adam", Map.of()).schedule("cosine", Map.of()).epochs(20).seed(2)
                .build().fit(b, XOR_ONE_HOT);
        for (int p = 0; p < a.parameters().size(); p++) {
            assertThat(a.parameters().get(p).values()).containsExactly(b.parameters().get(p).values());
        }
        assertThat(a.denseLayerAt(0).weight(0, 0)).isNotEqualTo(xorClassifier().denseLayerAt(0).weight(0, 0));
        assertThatThrownBy(() -> BACKPROP.trainer().optimizer("adma")).isInstanceOf(BackpropException.class)
                .hasMessageContaining("Did you mean 'adam'");
        assertThat(BACKPROP.plugins().createSchedule("step", Map.of("step-size", 10, "gamma", 0.5)).factor(25, 100)).isEqualTo(0.25);
        Network he = BACKPROP.network(2).dense(3, true, "he-uniform").build();
        assertThat(he.denseLayers()).hasSize(1);
    }

    @Test
    void layerIndicesAndDenseIndicesAreNamedApart() {
        Network network = xorClassifier();
        assertThat(network.denseLayers()).containsExactly(network.denseLayerAt(0), network.denseLayerAt(2));
        DenseLayer second = network.denseLayers().get(1);
        assertThat(second.inputSize()).isEqualTo(8);
        assertThatThrownBy(() -> network.denseLayerAt(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layers[1] is " + network.layer(1).describe() + ", not a dense layer; the dense layers are at layer indices 0, 2.");
    }

    @Test
    void oneCallSaveAndLoadTakesTheLossFromTheTrainerAndTheNamesFromTheData(@TempDir Path dir) throws Exception {
        Network network = xorClassifier();
        Trainer trainer = BACKPROP.trainer().loss("cross-entropy").optimizer("adam", Map.of("learning-rate", 0.05))
                .epochs(300).batchSize(4).seed(1).build();
        trainer.fit(network, XOR_ONE_HOT);
        Path file = dir.resolve("xor.json");
        Model saved = BACKPROP.save(network, trainer, XOR_ONE_HOT, file);
        assertThat(saved.loss()).isEqualTo("cross-entropy");
        assertThat(saved.classes()).containsExactly("0", "1");
        assertThat(saved.features()).containsExactly("x1", "x2");

        Model loaded = BACKPROP.load(file);
        assertThat(loaded.loss()).isEqualTo("cross-entropy");
        assertThat(loaded.classes()).containsExactly("0", "1");
        assertThat(loaded.label()).isEqualTo("class");
        for (double[] x : XOR_IN) {
            assertThat(loaded.predict(x)).containsExactly(network.predict(x));
        }

        LabelledData named = LabelledData.classification(XOR_ONE_HOT, List.of("a", "b"), List.of("same", "different"), "xor");
        Model withNames = BACKPROP.save(network, trainer, named, dir.resolve("named.json"));
        assertThat(BACKPROP.load(dir.resolve("named.json")).classes()).isEqualTo(withNames.classes()).containsExactly("same", "different");

        Trainer anonymous = BACKPROP.trainer().loss(BACKPROP.plugins().createLoss("cross-entropy", Map.of())).build();
        assertThatThrownBy(() -> BACKPROP.save(network, anonymous, XOR_ONE_HOT, dir.resolve("no.json")))
                .isInstanceOf(BackpropException.class).hasMessageContaining("loss(\"name\")");
        assertThat(dir.resolve("no.json")).doesNotExist();
    }

    /** An activation that is not a registered plugin: softsign, x / (1 + |x|). */
    static final class Softsign implements Activation {
        @Override
        public void forward(double[] net, double[] out, int rows, int cols) {
            for (int i = 0; i < rows * cols; i++) {
                out[i] = net[i] / (1 + Math.abs(net[i]));
            }
        }

        @Override
        public void backward(double[] net, double[] out, double[] gradOut, double[] gradNet, int rows, int cols) {
            for (int i = 0; i < rows * cols; i++) {
                double d = 1 + Math.abs(net[i]);
                gradNet[i] = gradOut[i] / (d * d);
            }
        }
    }

    static final class SoftsignProvider implements ActivationProvider {
        @Override
        public String name() {
            return "softsign";
        }

        @Override
        public Activation create(PluginParameters parameters) {
            return new Softsign();
        }
    }

    @Test
    void aModelThatCouldNotBeReadBackIsRefusedAtSaveTimeAndReadingSaysHowToSupplyThePlugin(@TempDir Path dir) throws Exception {
        Network network = BACKPROP.network(2).dense(2).activation("softsign", new Softsign()).dense(1).build();
        Trainer trainer = BACKPROP.trainer().loss("squared-error").build();
        Dataset data = Dataset.of(XOR_IN, new double[][] {{0}, {1}, {1}, {0}});
        assertThatThrownBy(() -> BACKPROP.save(network, trainer, data, dir.resolve("m.json")))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INVALID))
                .hasMessageContaining("layers[1] uses the activation 'softsign'")
                .hasMessageContaining("register its provider");
        assertThat(dir.resolve("m.json")).doesNotExist();

        // Registered as a plugin, the same network saves, and a registry with the plugin reads it back.
        PluginRegistry withSoftsign = PluginRegistry.builder().include(BACKPROP.plugins()).register(new SoftsignProvider()).build();
        Backprop extended = new Backprop(withSoftsign);
        Network pluginNetwork = extended.network(2).dense(2).activation("softsign").dense(1).seed(4).build();
        extended.save(pluginNetwork, trainer, data, dir.resolve("ok.json"));
        assertThat(extended.load(dir.resolve("ok.json")).predict(new double[] {1, 0})).containsExactly(pluginNetwork.predict(new double[] {1, 0}));

        // Reading it without the plugin names the plugin and how to supply it.
        assertThatThrownBy(() -> BACKPROP.load(dir.resolve("ok.json")))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INVALID))
                .hasMessageContaining("layers[1]: Unknown activation 'softsign'")
                .hasMessageContaining("The model needs the activation plugin 'softsign'")
                .hasMessageContaining(".register(provider)");
    }

    @Test
    void confusionMatrixSaysWhichArgumentIsNullAndNamesClassesByIndexWhenAsked() {
        Network network = xorClassifier();
        assertThatThrownBy(() -> ConfusionMatrix.of(network, XOR_ONE_HOT, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("classes must not be null; use ConfusionMatrix.of(network, data) for classes named 0, 1, ...");
        assertThatThrownBy(() -> ConfusionMatrix.of(null, XOR_ONE_HOT)).hasMessage("network must not be null");
        assertThatThrownBy(() -> ConfusionMatrix.of(network, XOR_ONE_HOT, List.of("a", "b", "c")))
                .isInstanceOf(BackpropException.class).hasMessageContaining("3 class names");
        ConfusionMatrix matrix = ConfusionMatrix.of(network, XOR_ONE_HOT);
        assertThat(matrix.classes()).containsExactly("0", "1");
        long total = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                total += matrix.count(i, j);
            }
        }
        assertThat(total).isEqualTo(4);
    }

    @Test
    void csvLoaderIsABuilderThatAsksForALabelOrTargets(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("d.csv");
        Files.writeString(file, "a,b,kind\n1,2,x\n3,4,y\n5,6,x\n");
        LabelledData classes = BACKPROP.csv(file).label("kind").load();
        assertThat(classes.classes()).containsExactly("x", "y");
        assertThat(classes.features()).containsExactly("a", "b");
        assertThat(classes.dataset().target(1)).containsExactly(0, 1);
        LabelledData regression = CsvLoader.from(file).targets("b").features("a").load();
        assertThat(regression.dataset().target(2)).containsExactly(6);
        assertThat(regression.isClassification()).isFalse();
        assertThatThrownBy(() -> CsvLoader.from(file).load()).isInstanceOf(IllegalStateException.class)
                .hasMessage(file + ": name either the class-label column (label) for a classifier or the target columns (targets) for a regression.");
        assertThatThrownBy(() -> CsvLoader.from(file).label("kind").targets("b").load()).isInstanceOf(IllegalStateException.class)
                .hasMessageEndingWith(", not both.");
        assertThatThrownBy(() -> CsvLoader.from(file).shownAs("data.csv").label("knd").load()).isInstanceOf(BackpropException.class)
                .hasMessageContaining("data.csv: no label column 'knd'");
    }

    @Test
    void runOptionsBuilderHasADefaultForEverySetting(@TempDir Path dir) {
        RunOptions defaults = RunOptions.builder().build();
        assertThat(defaults.runDirectory()).isNull();
        assertThat(defaults.runsRoot()).isEqualTo(Path.of("runs"));
        assertThat(defaults.listeners()).isEmpty();
        assertThat(defaults.stopRequested().getAsBoolean()).isFalse();
        RunOptions resumed = RunOptions.builder().resumeFrom(dir).stopWhen(() -> true).build();
        assertThat(resumed.resume()).isEqualTo(dir);
        assertThat(resumed.runDirectory()).isEqualTo(dir);
        assertThat(resumed.stopRequested().getAsBoolean()).isTrue();
        assertThatThrownBy(() -> RunOptions.builder().listener(null)).hasMessage("listener must not be null");
    }
}
