package dev.backprop.core.gradcheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.api.ElementwiseActivation;
import dev.backprop.api.LossFunction;
import dev.backprop.api.TrainableParameter;
import dev.backprop.core.Backprop;
import dev.backprop.core.network.ActivationLayer;
import dev.backprop.core.network.Backpropagation;
import dev.backprop.core.network.Network;
import dev.backprop.core.network.NetworkBuilder;
import dev.backprop.core.training.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backpropagation against central finite differences on random networks: 1 to 4 dense layers, every
 * activation, with and without biases, every loss, batch sizes 1 and 8.
 */
class GradientCheckTest {
    private static final Backprop BACKPROP = Backprop.create();
    private static final List<String> ACTIVATIONS = List.of("sigmoid", "tanh", "relu", "leaky-relu", "identity", "softmax");

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (int depth = 1; depth <= 4; depth++) {
            for (boolean bias : new boolean[] {true, false}) {
                for (String loss : List.of("squared-error", "cross-entropy", "binary-cross-entropy")) {
                    for (int batch : new int[] {1, 8}) {
                        cases.add(Arguments.of(depth, bias, loss, batch));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "depth {0}, bias {1}, {2}, batch {3}")
    @MethodSource("cases")
    void analyticGradientsMatchFiniteDifferences(int depth, boolean bias, String lossName, int batch) {
        long seed = 1000L * depth + (bias ? 100 : 0) + lossName.length() * 10L + batch;
        SplittableRandom random = new SplittableRandom(seed);
        int inputs = 2 + random.nextInt(4);
        int outputs = 2 + random.nextInt(3);
        NetworkBuilder builder = BACKPROP.network(inputs).seed(seed);
        for (int layer = 0; layer < depth; layer++) {
            boolean last = layer == depth - 1;
            builder.dense(last ? outputs : 2 + random.nextInt(5), bias, "xavier-normal", Map.of());
            // Hidden activations cycle through every plugin; the output activation suits the loss.
            String activation = switch (lossName) {
                case "cross-entropy" -> last ? "softmax" : ACTIVATIONS.get((layer + depth) % ACTIVATIONS.size());
                case "binary-cross-entropy" -> last ? "sigmoid" : ACTIVATIONS.get((layer + depth + 1) % ACTIVATIONS.size());
                default -> ACTIVATIONS.get((layer + depth + 2 + batch) % ACTIVATIONS.size());
            };
            if (activation.equals("leaky-relu")) {
                builder.activation(activation, Map.of("alpha", 0.1));
            } else {
                builder.activation(activation);
            }
        }
        Network network = builder.build();
        // Random biases too: zero biases behind dead ReLUs would put later units exactly on a kink.
        for (TrainableParameter p : network.parameters()) {
            double[] values = p.values();
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextGaussian() * 0.7;
            }
        }
        Dataset data = randomData(random, batch, inputs, outputs, lossName);
        // ReLU-type units have a kink at 0 where finite differences are meaningless: keep the data away from it.
        for (int attempt = 0; nearKink(network, data) && attempt < 1000; attempt++) {
            data = randomData(random, batch, inputs, outputs, lossName);
        }
        assertThat(nearKink(network, data)).as("found data away from ReLU kinks").isFalse();
        LossFunction loss = BACKPROP.plugins().createLoss(lossName, Map.of());
        List<double[]> before = snapshot(network);

        GradientCheckReport report = new GradientChecker().check(network, loss, data);

        assertThat(report.entries()).hasSize((int) network.parameterCount());
        assertThat(report.passed()).as("%s on %s", report, network).isTrue();
        assertThat(report.entries()).anySatisfy(e -> assertThat(Math.abs(e.analytic())).isGreaterThan(1e-6));
        List<double[]> after = snapshot(network);
        for (int p = 0; p < before.size(); p++) {
            assertThat(after.get(p)).as("weights restored bit for bit").isEqualTo(before.get(p));
        }
    }

    @Test
    void aReluKinkNearThePointDoesNotFailTheCheck() {
        // Inputs near the origin and zero biases put hidden ReLU units within a step of their kink.
        Network network = BACKPROP.network(2).dense(16, true, "he-uniform", Map.of()).activation("relu").dense(3).activation("softmax")
                .seed(3).build();
        Dataset data = Dataset.of(new double[][] {{1e-4, -2e-4}, {3e-4, 1e-4}, {0.5, -0.2}},
                new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
        GradientCheckReport report = new GradientChecker().check(network, BACKPROP.plugins().createLoss("cross-entropy", Map.of()), data);
        assertThat(report.passed()).as(report.toString()).isTrue();
    }

    @Test
    void aWrongDerivativeIsCaught() {
        // tanh with the sigmoid's derivative formula: the checker must notice.
        ElementwiseActivation broken = new ElementwiseActivation() {
            @Override
            public double apply(double net) {
                return Math.tanh(net);
            }

            @Override
            public double derivative(double net, double out) {
                return out * (1 - out);
            }
        };
        Network network = BACKPROP.network(3).dense(4).activation("broken-tanh", broken).dense(2).seed(5).build();
        SplittableRandom random = new SplittableRandom(5);
        Dataset data = randomData(random, 4, 3, 2, "squared-error");
        GradientCheckReport report = new GradientChecker().check(network, BACKPROP.plugins().createLoss("squared-error", Map.of()), data);
        assertThat(report.passed()).isFalse();
        // Only the layer below the broken activation gets wrong gradients.
        assertThat(report.failures()).isNotEmpty().allSatisfy(e -> assertThat(e.parameter()).startsWith("layers[0]."));
        assertThat(report.entries()).filteredOn(e -> e.parameter().startsWith("layers[2]."))
                .allSatisfy(e -> assertThat(e.relativeError()).isLessThan(1e-6));
        assertThat(report.toString()).startsWith("FAILED");
    }

    private static Dataset randomData(SplittableRandom random, int rows, int inputs, int outputs, String loss) {
        double[][] x = new double[rows][inputs];
        double[][] t = new double[rows][outputs];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < inputs; i++) {
                x[r][i] = random.nextDouble(-2, 2);
            }
            if (loss.equals("cross-entropy")) {
                t[r][random.nextInt(outputs)] = 1.0;
            } else {
                for (int k = 0; k < outputs; k++) {
                    t[r][k] = random.nextDouble();
                }
            }
        }
        return Dataset.of(x, t);
    }

    /** Whether any ReLU-type unit gets a net input so close to 0 that a finite-difference step could cross it. */
    private static boolean nearKink(Network network, Dataset data) {
        Backpropagation pass = new Backpropagation(network, data.size());
        double[] x = new double[data.size() * data.inputSize()];
        for (int r = 0; r < data.size(); r++) {
            System.arraycopy(data.input(r), 0, x, r * data.inputSize(), data.inputSize());
        }
        pass.forward(x, data.size());
        for (int k = 1; k < network.layers().size(); k++) {
            if (network.layer(k) instanceof ActivationLayer act && act.activationName().contains("relu")) {
                for (double net : pass.layerOutput(k - 1)) {
                    if (Math.abs(net) < 0.05) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<double[]> snapshot(Network network) {
        List<double[]> copy = new ArrayList<>();
        for (TrainableParameter p : network.parameters()) {
            copy.add(p.values().clone());
        }
        return copy;
    }
}
