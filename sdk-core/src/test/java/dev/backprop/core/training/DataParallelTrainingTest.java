package dev.backprop.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.BackpropException;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.LossFunction;
import dev.backprop.api.TrainableParameter;
import dev.backprop.core.Backprop;
import dev.backprop.core.network.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Synchronous data-parallel training against the local trainer: workers are threads here, joined by an
 * {@link InProcessGradientExchange}; sdk-spark runs the same trainer in Spark tasks.
 */
class DataParallelTrainingTest {
    private static final Backprop BACKPROP = Backprop.create();

    private static Dataset data(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[n][5];
        double[][] y = new double[n][3];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < 5; c++) {
                x[r][c] = random.nextDouble(-1, 1);
            }
            y[r][(x[r][0] * x[r][1] > 0 ? 1 : 0) + (x[r][2] + x[r][4] > 0.3 ? 1 : 0)] = 1;
        }
        return Dataset.of(x, y);
    }

    /** Every feature that touches a step: dropout masks, accuracy, weight decay, adam, a schedule, early stopping. */
    private static Network network() {
        return BACKPROP.network(5).dense(16).activation("tanh").dropout(0.2).dense(8).activation("relu").dense(3)
                .activation("softmax").seed(4).build();
    }

    private static Trainer.Builder trainer(int batchSize) {
        return BACKPROP.trainer().loss("cross-entropy").optimizer("adam", Map.of("learning-rate", 0.01))
                .schedule("step", Map.of("step-size", 2, "gamma", 0.5)).weightDecay(1e-3).epochs(5).batchSize(batchSize)
                .seed(17).classification(true).threads(1)
                .earlyStopping(new EarlyStopping("validation-loss", 10, 0, true));
    }

    private record Outcome(List<double[]> weights, List<EpochMetrics> history) {
    }

    private static Outcome local(Dataset train, Dataset validation, int batchSize) {
        Network network = network();
        TrainingHistory history = trainer(batchSize).build().fit(network, train, validation);
        return new Outcome(weights(network), history.epochs());
    }

    /** Runs {@code workers} trainers on threads; returns each worker's outcome, by rank. */
    private static List<Outcome> parallel(Dataset train, Dataset validation, int batchSize, int workers,
            Supplier<Trainer.Builder> builders) throws Exception {
        List<GradientExchange> group = InProcessGradientExchange.group(workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (GradientExchange member : group) {
                futures.add(pool.submit(() -> {
                    Network network = network();
                    TrainingHistory history = builders.get().dataParallel(member).build().fit(network, train, validation);
                    return new Outcome(weights(network), history.epochs());
                }));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get(2, TimeUnit.MINUTES));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<double[]> weights(Network network) {
        List<double[]> copy = new ArrayList<>();
        for (TrainableParameter p : network.parameters()) {
            copy.add(p.values().clone());
        }
        return copy;
    }

    @Test
    void oneWorkerIsBitIdenticalToTheLocalTrainer() throws Exception {
        Dataset train = data(101, 1);
        Dataset validation = data(40, 2);
        Outcome expected = local(train, validation, 16);
        Outcome actual = parallel(train, validation, 16, 1, () -> trainer(16)).get(0);
        for (int p = 0; p < expected.weights().size(); p++) {
            assertThat(actual.weights().get(p)).as("parameter block %d", p).isEqualTo(expected.weights().get(p));
        }
        assertThat(actual.history()).hasSameSizeAs(expected.history());
        for (int e = 0; e < expected.history().size(); e++) {
            EpochMetrics a = actual.history().get(e);
            EpochMetrics b = expected.history().get(e);
            assertThat(a.trainLoss()).isEqualTo(b.trainLoss());
            assertThat(a.trainAccuracy()).isEqualTo(b.trainAccuracy());
            assertThat(a.validationLoss()).isEqualTo(b.validationLoss());
        }
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {2, 3, 5})
    void severalWorkersAgreeWithTheLocalTrainerAndWithEachOther(int workers) throws Exception {
        Dataset train = data(101, 1);
        Dataset validation = data(40, 2);
        Outcome expected = local(train, validation, 16);
        List<Outcome> outcomes = parallel(train, validation, 16, workers, () -> trainer(16));
        for (Outcome outcome : outcomes) {
            // every worker holds the same bits: they add the same sums in the same order
            for (int p = 0; p < expected.weights().size(); p++) {
                assertThat(outcome.weights().get(p)).isEqualTo(outcomes.get(0).weights().get(p));
            }
        }
        double worst = maxRelativeDifference(outcomes.get(0).weights(), expected.weights());
        assertThat(worst).isLessThan(1e-12);
        // the sums were reordered: the bits differ somewhere, so the comparison above did compare something
        assertThat(worst).isGreaterThan(0.0);
        for (int e = 0; e < expected.history().size(); e++) {
            assertThat(outcomes.get(0).history().get(e).trainAccuracy()).isEqualTo(expected.history().get(e).trainAccuracy());
            assertThat(relative(outcomes.get(0).history().get(e).trainLoss(), expected.history().get(e).trainLoss())).isLessThan(1e-12);
        }
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {1, 3})
    void regressionWithoutShufflingAgreesToo(int workers) throws Exception {
        SplittableRandom random = new SplittableRandom(8);
        double[][] x = new double[30][3];
        double[][] y = new double[30][2];
        for (int r = 0; r < 30; r++) {
            for (int c = 0; c < 3; c++) {
                x[r][c] = random.nextDouble(-2, 2);
            }
            y[r][0] = Math.sin(x[r][0]) + x[r][1] * x[r][2];
            y[r][1] = x[r][0] - x[r][2];
        }
        Dataset data = Dataset.of(x, y);
        Supplier<Trainer.Builder> regression = () -> BACKPROP.trainer().loss("squared-error")
                .optimizer("sgd", Map.of("learning-rate", 0.05, "momentum", 0.9)).epochs(4).batchSize(7).shuffle(false).threads(1);
        Supplier<Network> net = () -> BACKPROP.network(3).dense(6).activation("sigmoid").dense(2).activation("identity").seed(2).build();
        Network alone = net.get();
        regression.get().build().fit(alone, data);
        List<GradientExchange> group = InProcessGradientExchange.group(workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<List<double[]>>> futures = new ArrayList<>();
            for (GradientExchange member : group) {
                futures.add(pool.submit(() -> {
                    Network network = net.get();
                    regression.get().dataParallel(member).build().fit(network, data);
                    return weights(network);
                }));
            }
            List<double[]> expected = weights(alone);
            for (Future<List<double[]>> future : futures) {
                List<double[]> actual = future.get(1, TimeUnit.MINUTES);
                if (workers == 1) {
                    for (int p = 0; p < expected.size(); p++) {
                        assertThat(actual.get(p)).isEqualTo(expected.get(p));
                    }
                } else {
                    assertThat(maxRelativeDifference(actual, expected)).isLessThan(1e-12);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void moreWorkersThanRowsInABatchStillAgree() throws Exception {
        Dataset train = data(11, 3);
        Outcome expected = local(train, train, 3);
        List<Outcome> outcomes = parallel(train, train, 3, 5, () -> trainer(3));
        assertThat(maxRelativeDifference(outcomes.get(4).weights(), expected.weights())).isLessThan(1e-12);
    }

    @Test
    void aFailingWorkerStopsTheOthersInsteadOfLeavingThemWaiting() {
        Dataset train = data(64, 5);
        LossFunction failing = new LossFunction() {
            private final LossFunction real = BACKPROP.plugins().createLoss("cross-entropy", Map.of());

            @Override
            public double loss(double[] output, double[] target, int rows, int width) {
                if (Thread.currentThread().getName().endsWith("-2")) {
                    throw new IllegalStateException("broken on purpose");
                }
                return real.loss(output, target, rows, width);
            }

            @Override
            public void gradient(double[] output, double[] target, double[] gradient, int rows, int width) {
                real.gradient(output, target, gradient, rows, width);
            }
        };
        assertThatThrownBy(() -> parallel(train, train, 8, 3, () -> trainer(8).loss(failing)))
                .isInstanceOf(ExecutionException.class)
                .cause().satisfiesAnyOf(
                        c -> assertThat(c).isInstanceOf(BackpropException.class).hasMessageContaining("broken on purpose"),
                        c -> assertThat(c).isInstanceOf(IllegalStateException.class).hasMessageContaining("workers failed"));
    }

    static double maxRelativeDifference(List<double[]> a, List<double[]> b) {
        double worst = 0;
        for (int p = 0; p < a.size(); p++) {
            for (int i = 0; i < a.get(p).length; i++) {
                worst = Math.max(worst, relative(a.get(p)[i], b.get(p)[i]));
            }
        }
        return worst;
    }

    static double relative(double a, double b) {
        return Math.abs(a - b) / Math.max(Math.max(Math.abs(a), Math.abs(b)), 1e-300);
    }
}
