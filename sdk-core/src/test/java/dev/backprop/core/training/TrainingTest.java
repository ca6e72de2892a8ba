package dev.backprop.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.BackpropException;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.TrainableParameter;
import dev.backprop.core.Backprop;
import dev.backprop.core.network.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TrainingTest {
    private static final Backprop BACKPROP = Backprop.create();
    private static final double[][] XOR_IN = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    private static final double[][] XOR_OUT = {{0}, {1}, {1}, {0}};

    @ParameterizedTest(name = "2-{0}-1 {1}")
    // 2-4-1 learns XOR from every seed tried; 2-2-1 has well-known local minima, so only seeds that escape them.
    @CsvSource({"4, sigmoid, 1", "4, sigmoid, 2", "4, sigmoid, 3", "4, tanh, 1", "4, tanh, 2", "4, tanh, 3",
        "2, sigmoid, 1", "2, sigmoid, 2", "2, tanh, 1"})
    void learnsXor(int hidden, String activation, long seed) {
        Network network = BACKPROP.network(2).dense(hidden).activation(activation).dense(1).activation("sigmoid")
                .seed(seed).build();
        Trainer trainer = BACKPROP.trainer()
                .loss("squared-error")
                .optimizer("sgd", Map.of("learning-rate", 0.5, "momentum", 0.9))
                .epochs(4000).batchSize(1).seed(seed).classification(true)
                .build();
        Dataset xor = Dataset.of(XOR_IN, XOR_OUT);
        TrainingHistory history = trainer.fit(network, xor);

        Evaluation evaluation = trainer.evaluate(network, xor);
        assertThat(evaluation.meanLoss()).isLessThan(0.01);
        assertThat(evaluation.accuracy()).isEqualTo(1.0);
        for (int i = 0; i < 4; i++) {
            assertThat(network.predict(XOR_IN[i])[0] >= 0.5).isEqualTo(XOR_OUT[i][0] == 1.0);
        }
        assertThat(history.epochs()).hasSize(4000);
        assertThat(history.last().trainLoss()).isLessThan(history.epochs().get(0).trainLoss());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {
        "sgd; {}",
        "sgd; {momentum: 0.9}",
        "sgd; {momentum: 0.9, nesterov: true}",
        "adam; {learning-rate: 0.01}"})
    void everyOptimizerLowersTheLossOnARegressionProblem(String optimizer, String settings) {
        Map<String, Object> parameters = parse(settings);
        if (optimizer.equals("sgd")) {
            parameters.putIfAbsent("learning-rate", 0.05);
        }
        SplittableRandom random = new SplittableRandom(11);
        double[][] x = new double[64][3];
        double[][] y = new double[64][1];
        for (int r = 0; r < x.length; r++) {
            for (int c = 0; c < 3; c++) {
                x[r][c] = random.nextDouble(-1, 1);
            }
            y[r][0] = Math.sin(x[r][0]) + 0.5 * x[r][1] * x[r][2];
        }
        Dataset data = Dataset.of(x, y);
        Network network = BACKPROP.network(3).dense(8).activation("tanh").dense(1).seed(3).build();
        Trainer trainer = BACKPROP.trainer().optimizer(optimizer, parameters).epochs(50).batchSize(8).seed(5).build();
        double before = trainer.evaluate(network, data).meanLoss();
        trainer.fit(network, data);
        double after = trainer.evaluate(network, data).meanLoss();
        assertThat(after).isLessThan(before * 0.5);
    }

    @Test
    void sameSeedGivesBitIdenticalWeights() {
        assertThat(java.util.Arrays.deepEquals(trainedWeights(42), trainedWeights(42))).isTrue();
        assertThat(java.util.Arrays.deepEquals(trainedWeights(42), trainedWeights(43))).isFalse();
    }

    private static double[][] trainedWeights(long seed) {
        Network network = BACKPROP.network(2).dense(3).activation("tanh").dense(1).activation("sigmoid").seed(seed).build();
        Trainer trainer = BACKPROP.trainer().optimizer("adam", Map.of()).epochs(20).batchSize(3).seed(seed).build();
        trainer.fit(network, Dataset.of(XOR_IN, XOR_OUT));
        List<double[]> weights = new ArrayList<>();
        for (TrainableParameter p : network.parameters()) {
            weights.add(p.values().clone());
        }
        return weights.toArray(new double[0][]);
    }

    @Test
    void miniBatchGradientIsTheMeanOverTheBatch() {
        // One step with batch 4 equals the mean of four per-example gradients, applied at once.
        Network batched = BACKPROP.network(2).dense(3).activation("sigmoid").dense(1).activation("sigmoid").seed(9).build();
        Network reference = batched.copy();
        BACKPROP.trainer().optimizer("sgd", Map.of("learning-rate", 0.7)).epochs(1).batchSize(4).shuffle(false).build()
                .fit(batched, Dataset.of(XOR_IN, XOR_OUT));

        var loss = BACKPROP.plugins().createLoss("squared-error", Map.of());
        var pass = new dev.backprop.core.network.Backpropagation(reference, 1);
        List<double[]> sum = new ArrayList<>();
        for (TrainableParameter p : reference.parameters()) {
            sum.add(new double[p.size()]);
        }
        for (int i = 0; i < 4; i++) {
            pass.meanGradient(XOR_IN[i], XOR_OUT[i], 1, loss);
            for (int p = 0; p < sum.size(); p++) {
                double[] g = reference.parameters().get(p).gradient();
                for (int k = 0; k < g.length; k++) {
                    sum.get(p)[k] += g[k];
                }
            }
        }
        for (int p = 0; p < sum.size(); p++) {
            double[] w = reference.parameters().get(p).values();
            double[] expected = new double[w.length];
            for (int k = 0; k < w.length; k++) {
                expected[k] = w[k] - 0.7 * sum.get(p)[k] / 4;
            }
            double[] actual = batched.parameters().get(p).values();
            for (int k = 0; k < w.length; k++) {
                assertThat(actual[k]).isCloseTo(expected[k], org.assertj.core.api.Assertions.within(1e-14));
            }
        }
    }

    @Test
    void lastSmallerBatchIsAveragedOverItsOwnSize() {
        // 5 examples, batch 2: batches of 2, 2, 1. The reported epoch loss is the mean over all 5 examples.
        double[][] x = {{0.1, 0.2}, {0.3, -0.4}, {-0.5, 0.6}, {0.7, 0.8}, {-0.9, -1.0}};
        double[][] y = {{0.1}, {0.2}, {0.3}, {0.4}, {0.5}};
        Network network = BACKPROP.network(2).dense(1).seed(2).build();
        Network reference = network.copy();
        List<EpochMetrics> seen = new ArrayList<>();
        BACKPROP.trainer().optimizer("sgd", Map.of("learning-rate", 0.1)).epochs(1).batchSize(2).shuffle(false)
                .listener(new dev.backprop.api.TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochMetrics metrics) {
                        seen.add(metrics);
                    }
                })
                .build().fit(network, Dataset.of(x, y));

        // Reference: plain linear regression updates written out.
        double[] w = reference.parameters().get(0).values().clone();
        double b = reference.parameters().get(1).values()[0];
        double lossSum = 0;
        int[][] batches = {{0, 1}, {2, 3}, {4}};
        for (int[] batch : batches) {
            double g0 = 0, g1 = 0, gb = 0;
            for (int i : batch) {
                double o = w[0] * x[i][0] + w[1] * x[i][1] + b;
                lossSum += 0.5 * (y[i][0] - o) * (y[i][0] - o);
                g0 += (o - y[i][0]) * x[i][0];
                g1 += (o - y[i][0]) * x[i][1];
                gb += o - y[i][0];
            }
            w[0] -= 0.1 * g0 / batch.length;
            w[1] -= 0.1 * g1 / batch.length;
            b -= 0.1 * gb / batch.length;
        }
        assertThat(network.parameters().get(0).values()[0]).isCloseTo(w[0], org.assertj.core.api.Assertions.within(1e-15));
        assertThat(network.parameters().get(0).values()[1]).isCloseTo(w[1], org.assertj.core.api.Assertions.within(1e-15));
        assertThat(network.parameters().get(1).values()[0]).isCloseTo(b, org.assertj.core.api.Assertions.within(1e-15));
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).trainLoss()).isCloseTo(lossSum / 5, org.assertj.core.api.Assertions.within(1e-15));
    }

    @Test
    void divergenceStopsWithAClearError() {
        Network network = BACKPROP.network(2).dense(4).dense(1).seed(1).build();
        double[][] x = {{100, -100}, {-100, 100}};
        double[][] y = {{1e6}, {-1e6}};
        Trainer trainer = BACKPROP.trainer().optimizer("sgd", Map.of("learning-rate", 10.0)).epochs(100).build();
        assertThatThrownBy(() -> trainer.fit(network, Dataset.of(x, y)))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TRAINING_DIVERGED))
                .hasMessageContaining("epoch").hasMessageContaining("batch").hasMessageContaining("smaller learning rate");
    }

    @Test
    void theBuilderDefaultsAreTheYamlDefaults() {
        // 70 examples, no settings: Defaults.EPOCHS epochs of ceil(70 / Defaults.BATCH_SIZE) batches each.
        double[][] x = new double[70][2];
        double[][] y = new double[70][1];
        for (int i = 0; i < 70; i++) {
            x[i][0] = i / 70.0;
            y[i][0] = x[i][0];
        }
        Network network = BACKPROP.network(2).dense(1).build();
        java.util.concurrent.atomic.AtomicInteger batches = new java.util.concurrent.atomic.AtomicInteger();
        TrainingHistory history = BACKPROP.trainer().listener(new dev.backprop.api.TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, double loss) {
                batches.incrementAndGet();
            }
        }).build().fit(network, Dataset.of(x, y));
        assertThat(history.epochs()).hasSize(dev.backprop.core.defaults.Defaults.EPOCHS).hasSize(10);
        assertThat(batches.get()).isEqualTo(10 * 3);
    }

    @Test
    void dataThatDoesNotFitTheNetworkIsRefused() {
        Network network = BACKPROP.network(3).dense(1).build();
        Trainer trainer = BACKPROP.trainer().build();
        assertThatThrownBy(() -> trainer.fit(network, Dataset.of(XOR_IN, XOR_OUT)))
                .isInstanceOf(BackpropException.class)
                .hasMessageContaining("2 input columns").hasMessageContaining("expects 3 inputs");
    }

    @Test
    void badSettingsAreRefusedWithTheValue() {
        assertThatThrownBy(() -> BACKPROP.trainer().epochs(0)).hasMessageContaining("epochs must be at least 1 and below 2147483647, got 0")
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TRAINING_INVALID));
        assertThatThrownBy(() -> BACKPROP.trainer().batchSize(-3)).hasMessageContaining("batch-size must be at least 1, got -3");
        assertThatThrownBy(() -> BACKPROP.trainer().optimizer("sgd", Map.of("learning-rate", -1)))
                .hasMessageContaining("'learning-rate'").hasMessageContaining("'sgd'").hasMessageContaining("> 0").hasMessageContaining("-1");
    }

    private static Map<String, Object> parse(String settings) {
        Map<String, Object> map = new java.util.HashMap<>();
        String body = settings.trim().replaceAll("[{}]", "").trim();
        if (body.isEmpty()) {
            return map;
        }
        for (String pair : body.split(",")) {
            String[] kv = pair.split(":");
            String value = kv[1].trim();
            map.put(kv[0].trim(), value.equals("true") || value.equals("false") ? (Object) Boolean.valueOf(value) : (Object) Double.valueOf(value));
        }
        return map;
    }
}
