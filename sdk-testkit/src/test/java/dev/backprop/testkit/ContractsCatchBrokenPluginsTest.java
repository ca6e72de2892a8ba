package dev.backprop.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.ElementwiseActivation;
import dev.backprop.api.LossFunction;
import dev.backprop.api.LossFunctionProvider;
import dev.backprop.api.Optimizer;
import dev.backprop.api.OptimizerProvider;
import dev.backprop.api.PluginParameters;
import dev.backprop.api.TrainableParameter;
import dev.backprop.api.WeightInitializer;
import dev.backprop.api.WeightInitializerProvider;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The contracts fail for plugins that break them, and pass for ones that keep them. */
class ContractsCatchBrokenPluginsTest {

    private static ActivationContract activation(String name, ElementwiseActivation impl) {
        return new ActivationContract() {
            @Override
            protected ActivationProvider provider() {
                return new ActivationProvider() {
                    @Override
                    public String name() {
                        return name;
                    }

                    @Override
                    public Activation create(PluginParameters parameters) {
                        return impl;
                    }
                };
            }
        };
    }

    @Test
    void wrongDerivativeFails() {
        ActivationContract contract = activation("bad-tanh", new ElementwiseActivation() {
            @Override
            public double apply(double net) {
                return Math.tanh(net);
            }

            @Override
            public double derivative(double net, double out) {
                return 1 - out; // should be 1 - out^2
            }
        });
        assertThatThrownBy(contract::backwardAgreesWithFiniteDifferencesOfForward).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("bad-tanh backward");
    }

    @Test
    void naiveSoftplusOverflowsAndFails() {
        ElementwiseActivation naive = new ElementwiseActivation() {
            @Override
            public double apply(double net) {
                return Math.log(1 + Math.exp(net));
            }

            @Override
            public double derivative(double net, double out) {
                return 1 / (1 + Math.exp(-net));
            }
        };
        ActivationContract contract = activation("softplus", naive);
        assertThatCode(contract::backwardAgreesWithFiniteDifferencesOfForward).doesNotThrowAnyException();
        assertThatThrownBy(contract::outputsAndGradientsAreFiniteForExtremeInputs).hasMessageContaining("Infinity");
    }

    @Test
    void badNameFails() {
        ActivationContract contract = activation("Soft_Plus", new ElementwiseActivation() {
            @Override
            public double apply(double net) {
                return net;
            }

            @Override
            public double derivative(double net, double out) {
                return 1;
            }
        });
        assertThatThrownBy(contract::providerIsWellFormed).hasMessageContaining("kebab-case");
    }

    @Test
    void lossWithAWrongGradientFails() {
        LossFunctionContract contract = new LossFunctionContract() {
            @Override
            protected LossFunctionProvider provider() {
                return new LossFunctionProvider() {
                    @Override
                    public String name() {
                        return "half-wrong";
                    }

                    @Override
                    public LossFunction create(PluginParameters parameters) {
                        return new LossFunction() {
                            @Override
                            public double loss(double[] o, double[] t, int rows, int cols) {
                                double s = 0;
                                for (int i = 0; i < rows * cols; i++) {
                                    s += 0.5 * (o[i] - t[i]) * (o[i] - t[i]);
                                }
                                return s;
                            }

                            @Override
                            public void gradient(double[] o, double[] t, double[] g, int rows, int cols) {
                                for (int i = 0; i < rows * cols; i++) {
                                    g[i] = 2 * (o[i] - t[i]); // should be o - t
                                }
                            }
                        };
                    }
                };
            }
        };
        assertThatThrownBy(contract::gradientAgreesWithFiniteDifferences).hasMessageContaining("half-wrong gradient");
        assertThatCode(contract::batchLossIsTheSumOfPerExampleLosses).doesNotThrowAnyException();
    }

    @Test
    void optimizerThatSharesStateAcrossParametersFails() {
        // Momentum with one velocity for all parameters: a's path then depends on b.
        OptimizerContract contract = new OptimizerContract() {
            @Override
            protected OptimizerProvider provider() {
                return new OptimizerProvider() {
                    @Override
                    public String name() {
                        return "shared-momentum";
                    }

                    @Override
                    public Optimizer create(PluginParameters parameters) {
                        return new Optimizer() {
                            private List<TrainableParameter> bound;
                            private double velocity;

                            @Override
                            public void bind(List<TrainableParameter> parameters) {
                                bound = parameters;
                            }

                            @Override
                            public void step() {
                                for (TrainableParameter p : bound) {
                                    for (int i = 0; i < p.size(); i++) {
                                        velocity = 0.5 * velocity + p.gradient()[i];
                                        p.values()[i] -= 0.01 * velocity;
                                    }
                                }
                            }
                        };
                    }
                };
            }
        };
        assertThatThrownBy(contract::stateIsKeptPerParameter).hasMessageContaining("moved differently beside parameter b");
    }

    @Test
    void initializerThatIgnoresTheSeedOrMisstatesItsVarianceFails() {
        WeightInitializerContract contract = new WeightInitializerContract() {
            @Override
            protected WeightInitializerProvider provider() {
                return new WeightInitializerProvider() {
                    @Override
                    public String name() {
                        return "unseeded";
                    }

                    @Override
                    public WeightInitializer create(PluginParameters parameters) {
                        return (w, b, fanIn, fanOut, random) -> {
                            java.util.Random own = new java.util.Random();
                            for (int i = 0; i < fanIn * fanOut; i++) {
                                w[i] = own.nextGaussian();
                            }
                            java.util.Arrays.fill(b, 0.0);
                        };
                    }
                };
            }

            @Override
            protected double expectedVariance(int fanIn, int fanOut) {
                return 2.0 / fanIn;
            }
        };
        assertThatCode(contract::fillsEveryWeightAndBias).doesNotThrowAnyException();
        assertThatThrownBy(contract::respectsTheSeed).hasMessageContaining("the same seed must give the same weights");
        assertThatThrownBy(contract::statisticsMatchWhatItClaims).hasMessageContaining("claimed");
    }
}
