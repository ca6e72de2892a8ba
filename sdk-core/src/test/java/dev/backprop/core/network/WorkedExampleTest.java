package dev.backprop.core.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.api.LossFunction;
import dev.backprop.core.Backprop;
import dev.backprop.core.training.Dataset;
import dev.backprop.core.training.Trainer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 001's worked example through the public API: a 2-2-1 sigmoid network without biases, input
 * (0.35, 0.9), target 0.5, learning rate 1. Every number is checked twice: against the note's rounded
 * value (within its rounding), and unrounded to 1e-12 against the computation written out below by hand.
 */
class WorkedExampleTest {
    private static final double NOTE = 5e-4;
    private static final double EXACT = 1e-12;

    // Note's naming: inputs x1, x2; hidden units 3, 4; output unit 5; w_ij is the weight from i to j.
    private static final double X1 = 0.35, X2 = 0.9, TARGET = 0.5, ETA = 1.0;
    private static final double W13 = 0.1, W23 = 0.8, W14 = 0.4, W24 = 0.6, W35 = 0.3, W45 = 0.9;

    private final Backprop backprop = Backprop.create();
    private Network network;

    @BeforeEach
    void buildNetwork() {
        // Row = output unit, column = input unit: hidden layer rows are units 3 and 4.
        network = backprop.network(2)
                .dense(2, false, "explicit", Map.of("weights", List.of(List.of(W13, W23), List.of(W14, W24))))
                .activation("sigmoid")
                .dense(1, false, "explicit", Map.of("weights", List.of(List.of(W35, W45))))
                .activation("sigmoid")
                .build();
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** The example computed directly from seed 001's formulas, independent of the engine. */
    private record Reference(double y3, double y4, double y5, double delta3, double delta4, double delta5,
            double w13, double w23, double w14, double w24, double w35, double w45, double secondOutput) {

        static Reference compute() {
            double y3 = sigmoid(W13 * X1 + W23 * X2);
            double y4 = sigmoid(W14 * X1 + W24 * X2);
            double y5 = sigmoid(W35 * y3 + W45 * y4);
            // The note's deltas: delta = -dE/dnet.
            double delta5 = y5 * (1 - y5) * (TARGET - y5);
            double delta3 = y3 * (1 - y3) * W35 * delta5;   // old w35
            double delta4 = y4 * (1 - y4) * W45 * delta5;   // old w45
            double w13 = W13 + ETA * delta3 * X1;
            double w23 = W23 + ETA * delta3 * X2;
            double w14 = W14 + ETA * delta4 * X1;
            double w24 = W24 + ETA * delta4 * X2;
            double w35 = W35 + ETA * delta5 * y3;
            double w45 = W45 + ETA * delta5 * y4;
            double second = sigmoid(w35 * sigmoid(w13 * X1 + w23 * X2) + w45 * sigmoid(w14 * X1 + w24 * X2));
            return new Reference(y3, y4, y5, delta3, delta4, delta5, w13, w23, w14, w24, w35, w45, second);
        }
    }

    @Test
    void forwardPassGivesTheFirstOutput() {
        Reference ref = Reference.compute();
        double[] out = network.predict(new double[] {X1, X2});
        assertThat(out).hasSize(1);
        assertThat(out[0]).isCloseTo(0.69, within(0.005)); // the note prints 0.69, rounded to 2 digits
        assertThat(out[0]).isCloseTo(ref.y5(), within(EXACT));
    }

    @Test
    void backwardPassGivesTheDeltasOfTheNote() {
        Reference ref = Reference.compute();
        Backpropagation pass = new Backpropagation(network, 1);
        LossFunction loss = backprop.plugins().createLoss("squared-error", Map.of());
        double error = pass.meanGradient(new double[] {X1, X2}, new double[] {TARGET}, 1, loss);

        double[] hidden = pass.layerOutput(1);
        assertThat(hidden[0]).isCloseTo(0.68, within(0.005)).isCloseTo(ref.y3(), within(EXACT));
        assertThat(hidden[1]).isCloseTo(0.6637, within(NOTE)).isCloseTo(ref.y4(), within(EXACT));
        assertThat(error).isCloseTo(0.5 * (TARGET - ref.y5()) * (TARGET - ref.y5()), within(EXACT));

        // Engine gradients are dE/dnet; the note's delta is -dE/dnet.
        double delta5 = -pass.inputGradient(3)[0];
        double[] hiddenDeltas = pass.inputGradient(1);
        double delta3 = -hiddenDeltas[0];
        double delta4 = -hiddenDeltas[1];
        assertThat(delta5).isCloseTo(-0.0406, within(NOTE)).isCloseTo(ref.delta5(), within(EXACT));
        assertThat(delta3).isCloseTo(-0.00265, within(NOTE)).isCloseTo(ref.delta3(), within(EXACT));
        assertThat(delta4).isCloseTo(-0.0082, within(NOTE)).isCloseTo(ref.delta4(), within(EXACT));
    }

    @Test
    void oneSgdStepGivesTheUpdatedWeightsAndTheSecondOutput() {
        Reference ref = Reference.compute();
        Trainer trainer = backprop.trainer()
                .loss("squared-error")
                .optimizer("sgd", Map.of("learning-rate", ETA))
                .epochs(1).batchSize(1).shuffle(false)
                .build();
        trainer.fit(network, Dataset.of(new double[][] {{X1, X2}}, new double[][] {{TARGET}}));

        DenseLayer hidden = network.denseLayerAt(0);
        DenseLayer output = network.denseLayerAt(2);
        // The note's table: w13, w23, w14, w24, w35, w45 after the update.
        assertThat(hidden.weight(0, 0)).isCloseTo(0.0991, within(NOTE)).isCloseTo(ref.w13(), within(EXACT));
        assertThat(hidden.weight(0, 1)).isCloseTo(0.7976, within(NOTE)).isCloseTo(ref.w23(), within(EXACT));
        assertThat(hidden.weight(1, 0)).isCloseTo(0.3971, within(NOTE)).isCloseTo(ref.w14(), within(EXACT));
        assertThat(hidden.weight(1, 1)).isCloseTo(0.5926, within(NOTE)).isCloseTo(ref.w24(), within(EXACT));
        assertThat(output.weight(0, 0)).isCloseTo(0.2724, within(NOTE)).isCloseTo(ref.w35(), within(EXACT));
        assertThat(output.weight(0, 1)).isCloseTo(0.8731, within(NOTE)).isCloseTo(ref.w45(), within(EXACT));

        double second = network.predict(new double[] {X1, X2})[0];
        assertThat(second).isCloseTo(0.6820, within(NOTE)).isCloseTo(ref.secondOutput(), within(EXACT));
    }
}
