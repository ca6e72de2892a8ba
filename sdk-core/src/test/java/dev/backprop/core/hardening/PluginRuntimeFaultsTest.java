package dev.backprop.core.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ElementwiseActivation;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.Optimizer;
import dev.backprop.api.OptimizerProvider;
import dev.backprop.api.PluginParameters;
import dev.backprop.api.TrainableParameter;
import dev.backprop.core.Backprop;
import dev.backprop.core.model.Model;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.network.Network;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins that fail while the network is built, trained or used (issue 21, class 6): each failure is one
 * error naming the plugin, its class and, for a layer, the layer; never an internal error, a damaged model
 * or advice about the learning rate for what a plugin did.
 */
class PluginRuntimeFaultsTest {
    private static final Dataset DATA = Dataset.of(new double[][] {{0, 1}, {1, 0}, {1, 1}, {0, 0}},
            new double[][] {{1}, {1}, {0}, {0}});

    @TempDir
    Path dir;

    /** Its class cannot be initialised, as a plugin with a broken dependency. */
    static final class UninitialisableActivation extends ElementwiseActivation {
        static final int VALUE = Integer.parseInt(System.getProperty("backprop.test.no-such-property", "static init failed"));

        @Override
        public double apply(double net) {
            return net + VALUE;
        }

        @Override
        public double derivative(double net, double out) {
            return 1;
        }
    }

    /** Its outputs are never finite. */
    public static final class NanActivation extends ElementwiseActivation {
        @Override
        public double apply(double net) {
            return Double.NaN;
        }

        @Override
        public double derivative(double net, double out) {
            return 1;
        }
    }

    /** Asks for more memory than any heap has. */
    public static final class GreedyActivation extends ElementwiseActivation {
        @Override
        public double apply(double net) {
            long[] huge = new long[Integer.MAX_VALUE - 16];
            return net + huge.length;
        }

        @Override
        public double derivative(double net, double out) {
            return 1;
        }
    }

    private static ActivationProvider activation(String name, Supplier<Activation> create) {
        return new ActivationProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Activation create(PluginParameters parameters) {
                return create.get();
            }
        };
    }

    /** An optimizer whose step is the given action on the bound parameters. */
    static final class ScriptedOptimizer implements Optimizer {
        private final Consumer<List<TrainableParameter>> step;
        private List<TrainableParameter> parameters = List.of();

        ScriptedOptimizer(Consumer<List<TrainableParameter>> step) {
            this.step = step;
        }

        @Override
        public void bind(List<TrainableParameter> bound) {
            this.parameters = List.copyOf(bound);
        }

        @Override
        public void step() {
            step.accept(parameters);
        }
    }

    private static OptimizerProvider optimizer(String name, Consumer<List<TrainableParameter>> step) {
        return new OptimizerProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optimizer create(PluginParameters parameters) {
                return new ScriptedOptimizer(step);
            }
        };
    }

    private static Backprop with(Object... providers) {
        PluginRegistry.Builder builder = PluginRegistry.builder().include(PluginRegistry.discover());
        for (Object provider : providers) {
            builder.register((dev.backprop.api.PluginProvider<?>) provider);
        }
        return new Backprop(builder.build());
    }

    private static void pluginFailed(Throwable e) {
        assertThat(((BackpropException) e).code()).isEqualTo(ErrorCode.PLUGIN_FAILED);
    }

    @Test
    void anActivationWhoseClassCannotInitialiseIsNamedWithItsLayerWhenTheNetworkIsBuilt() {
        Backprop backprop = with(activation("uninitialisable", UninitialisableActivation::new));
        assertThatThrownBy(() -> backprop.network(2).dense(3).activation("uninitialisable"))
                .isInstanceOfSatisfying(BackpropException.class, PluginRuntimeFaultsTest::pluginFailed)
                .hasMessageContaining("The activation plugin 'uninitialisable' (")
                .hasMessageContaining(") of layers[1] failed: its class " + UninitialisableActivation.class.getName()
                        + " failed to initialise: java.lang.NumberFormatException: For input string: \"static init failed\"");
    }

    @Test
    void aModelWhoseActivationPluginFailsIsThePluginsFaultNotADamagedFile() throws Exception {
        Backprop saving = with(activation("fragile", NanActivation::new));
        Network network = saving.network(2).dense(2).activation("fragile").dense(1).build();
        Path file = dir.resolve("model.json");
        saving.save(new Model(network, "squared-error", null, List.of("a", "b"), List.of("y"), null, null), file);
        PluginRegistry failing = PluginRegistry.builder().include(PluginRegistry.discover())
                .register(activation("fragile", () -> {
                    throw new IllegalStateException("cannot start");
                })).build();
        assertThatThrownBy(() -> ModelFile.read(file, failing))
                .isInstanceOfSatisfying(BackpropException.class, PluginRuntimeFaultsTest::pluginFailed)
                .hasMessageContaining("model.json: layers[1]: The activation plugin 'fragile' (")
                .hasMessageContaining("failed: java.lang.IllegalStateException: cannot start");
        assertThat(Files.exists(file)).isTrue();
    }

    @Test
    void anOptimizerThatThrowsInItsStepIsNamedWithItsClass() {
        Backprop backprop = with(optimizer("refusing", parameters -> {
            throw new UnsupportedOperationException("step refused");
        }));
        Network network = backprop.network(2).dense(2).activation("tanh").dense(1).build();
        assertThatThrownBy(() -> backprop.trainer().loss("squared-error").optimizer("refusing").epochs(1).build().fit(network, DATA))
                .isInstanceOfSatisfying(BackpropException.class, PluginRuntimeFaultsTest::pluginFailed)
                .hasMessage("[BP-105] the optimizer plugin 'refusing' (" + ScriptedOptimizer.class.getName()
                        + ") threw in step(): java.lang.UnsupportedOperationException: step refused");
    }

    @Test
    void anOptimizerThatWritesNanFromFiniteGradientsIsBlamedAndTheLearningRateIsNot() {
        Backprop backprop = with(optimizer("poisoning", parameters -> Arrays.fill(parameters.get(2).values(), Double.POSITIVE_INFINITY)));
        Network network = backprop.network(2).dense(2).activation("tanh").dense(1).build();
        assertThatThrownBy(() -> backprop.trainer().loss("squared-error").optimizer("poisoning").epochs(1).batchSize(2).build().fit(network, DATA))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TRAINING_DIVERGED))
                .hasMessageContaining("the optimizer plugin 'poisoning' (" + ScriptedOptimizer.class.getName()
                        + ") wrote Infinity into layers[2].weights[0] in its step after epoch 1, batch 1.")
                .hasMessageContaining("fix or replace the plugin")
                .hasMessageNotContaining("learning rate")
                .hasMessageNotContaining("layers[0] dense");
    }

    @Test
    void anActivationThatRunsOutOfMemoryIsNamed() {
        Backprop backprop = with(activation("greedy", GreedyActivation::new));
        Network network = backprop.network(2).dense(2).activation("greedy").dense(1).build();
        assertThatThrownBy(() -> backprop.trainer().loss("squared-error").optimizer("sgd").epochs(1).build().fit(network, DATA))
                .isInstanceOfSatisfying(BackpropException.class, PluginRuntimeFaultsTest::pluginFailed)
                .hasMessageContaining("layers[1] greedy(2) (activation plugin 'greedy', " + GreedyActivation.class.getName()
                        + ") threw in its forward pass: java.lang.OutOfMemoryError");
        assertThatThrownBy(() -> network.predict(new double[] {1, 2}))
                .isInstanceOfSatisfying(BackpropException.class, PluginRuntimeFaultsTest::pluginFailed)
                .hasMessageContaining("(activation plugin 'greedy', ");
    }

    @Test
    void outputsThatAreNotFiniteAtPredictionNameTheActivationPluginThatMadeThem() {
        Backprop backprop = with(activation("nan-act", NanActivation::new));
        Network network = backprop.network(2).dense(2).activation("nan-act").dense(1).build();
        Model model = new Model(network, "squared-error", null, List.of("a", "b"), List.of("y"), null, null);
        assertThatThrownBy(() -> model.predictFinite(new double[] {1, 2}, "data.csv:2"))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID))
                .hasMessageContaining("data.csv:2: the model's outputs are not finite")
                .hasMessageContaining("the first non-finite values came out of layers[1] nan-act(2) (activation plugin 'nan-act', "
                        + NanActivation.class.getName() + ") although its inputs were finite")
                .hasMessageNotContaining("far outside");

        // Inputs that overflow a sound network are still the inputs' fault.
        Network sound = backprop.network(2).dense(1).build();
        Model plain = new Model(sound, "squared-error", null, List.of("a", "b"), List.of("y"), null, null);
        assertThatThrownBy(() -> plain.predictFinite(new double[] {Double.MAX_VALUE, Double.MAX_VALUE}, "data.csv:3"))
                .hasMessageContaining("the inputs are far outside what the model was trained on");
    }
}
