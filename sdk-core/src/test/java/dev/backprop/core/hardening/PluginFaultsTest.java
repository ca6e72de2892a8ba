package dev.backprop.core.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ElementwiseActivation;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.LossFunction;
import dev.backprop.api.LossFunctionProvider;
import dev.backprop.api.PluginParameters;
import dev.backprop.core.Backprop;
import dev.backprop.core.network.Network;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.Dataset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Faulty plugins stop the run with a message naming the plugin and the layer. */
class PluginFaultsTest {

    /** Returns NaN for inputs above 0.5. */
    public static final class NanActivation extends ElementwiseActivation {
        @Override
        public double apply(double net) {
            return net > 0.5 ? Double.NaN : net;
        }

        @Override
        public double derivative(double net, double out) {
            return 1;
        }
    }

    /** Throws in its backward pass. */
    public static final class ThrowingActivation extends ElementwiseActivation {
        @Override
        public double apply(double net) {
            return net;
        }

        @Override
        public double derivative(double net, double out) {
            throw new IllegalStateException("derivative not implemented");
        }
    }

    private static ActivationProvider provider(String name, Activation activation) {
        return new ActivationProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Activation create(PluginParameters parameters) {
                return activation;
            }
        };
    }

    private static final LossFunctionProvider THROWING_LOSS = new LossFunctionProvider() {
        @Override
        public String name() {
            return "throwing-loss";
        }

        @Override
        public LossFunction create(PluginParameters parameters) {
            return new LossFunction() {
                @Override
                public double loss(double[] output, double[] target, int rows, int cols) {
                    throw new ArithmeticException("cannot compute");
                }

                @Override
                public void gradient(double[] output, double[] target, double[] gradient, int rows, int cols) {
                }
            };
        }
    };

    private static Backprop sdk() {
        PluginRegistry registry = PluginRegistry.builder().include(PluginRegistry.discover())
                .register(provider("nan-act", new NanActivation())).register(provider("throwing-act", new ThrowingActivation()))
                .register(THROWING_LOSS).build();
        return new Backprop(registry);
    }

    private static final Dataset DATA = Dataset.of(new double[][] {{1, 2}, {2, 1}, {-1, 0.5}}, new double[][] {{1}, {0}, {1}});

    @Test
    void aPluginReturningNanIsNamedWithItsLayer() {
        Backprop backprop = sdk();
        Network network = backprop.network(2).dense(3, true, "constant", Map.of("value", 1.0)).activation("nan-act").dense(1).build();
        assertThatThrownBy(() -> backprop.trainer().build().fit(network, DATA))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TRAINING_DIVERGED))
                .hasMessageContaining("the first non-finite values came out of layers[1] nan-act(3) (activation plugin 'nan-act', "
                        + NanActivation.class.getName() + ")")
                .hasMessageContaining("epoch 1, batch 1");
    }

    @Test
    void aPluginThatThrowsIsNamedWithItsLayerAndPass() {
        Backprop backprop = sdk();
        Network network = backprop.network(2).dense(3).activation("throwing-act").dense(1).build();
        assertThatThrownBy(() -> backprop.trainer().build().fit(network, DATA))
                .isInstanceOfSatisfying(BackpropException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_FAILED);
                    assertThat(e.code().isInputError()).isFalse();
                })
                .hasMessageContaining("layers[1] throwing-act(3) (activation plugin 'throwing-act', " + ThrowingActivation.class.getName()
                        + ") threw in its backward pass: java.lang.IllegalStateException: derivative not implemented");
    }

    @Test
    void aLossThatThrowsIsNamed() {
        Backprop backprop = sdk();
        Network network = backprop.network(2).dense(1).build();
        assertThatThrownBy(() -> backprop.trainer().loss("throwing-loss").build().fit(network, DATA))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_FAILED))
                .hasMessageContaining("threw java.lang.ArithmeticException: cannot compute");
    }

    @Test
    void aProviderWhoseNameThrowsIsNamed() {
        ActivationProvider broken = new ActivationProvider() {
            @Override
            public String name() {
                throw new UnsupportedOperationException("no name");
            }

            @Override
            public Activation create(PluginParameters parameters) {
                return null;
            }
        };
        assertThatThrownBy(() -> PluginRegistry.builder().register(broken))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_LOAD_FAILED))
                .hasMessageContaining("failed in name()");
    }
}
