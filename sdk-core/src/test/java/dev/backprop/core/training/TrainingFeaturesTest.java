package dev.backprop.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;

import dev.backprop.api.Optimizer;
import dev.backprop.api.TrainableParameter;
import dev.backprop.api.TrainingListener;
import dev.backprop.core.Backprop;
import dev.backprop.core.gradcheck.GradientChecker;
import dev.backprop.core.network.Backpropagation;
import dev.backprop.core.network.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.InOrder;

/** Resuming, early stopping, schedules, weight decay and dropout. */
class TrainingFeaturesTest {
    private static final Backprop BACKPROP = Backprop.create();

    private static Dataset data(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[n][4];
        double[][] y = new double[n][3];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < 4; c++) {
                x[r][c] = random.nextDouble(-1, 1);
            }
            y[r][(x[r][0] + x[r][1] > 0 ? 1 : 0) + (x[r][2] > 0.5 ? 1 : 0)] = 1;
        }
        return Dataset.of(x, y);
    }

    private static Network network() {
        return BACKPROP.network(4).dense(12).activation("tanh").dropout(0.25).dense(3).activation("softmax").seed(21).build();
    }

    private static Trainer.Builder trainer() {
        return BACKPROP.trainer().loss("cross-entropy").optimizer("adam", Map.of("learning-rate", 0.01))
                .schedule("cosine", Map.of("warmup-epochs", 1)).weightDecay(1e-3).epochs(6).batchSize(7).seed(9)
                .classification(true);
    }

    private static List<double[]> weights(Network network) {
        List<double[]> copy = new ArrayList<>();
        for (TrainableParameter p : network.parameters()) {
            copy.add(p.values().clone());
        }
        return copy;
    }

    /** Stops the run after a given number of batches and keeps the snapshot it makes. */
    private static final class StopAfter implements SnapshotListener {
        private final int batches;
        private final AtomicInteger seen = new AtomicInteger();
        TrainingState snapshot;

        StopAfter(int batches) {
            this.batches = batches;
        }

        @Override
        public void onBatchEnd(int epoch, int batch, double meanLoss) {
            seen.incrementAndGet();
        }

        @Override
        public void onSnapshot(TrainingState state) {
            snapshot = state;
        }

        boolean stop() {
            return seen.get() >= batches;
        }
    }

    @Test
    void anInterruptOfTheTrainingThreadStopsTheRunLikeStopWhen() {
        Dataset train = data(50, 1);
        Dataset validation = data(20, 2);
        Network uninterrupted = network();
        trainer().build().fit(uninterrupted, train, validation);
        // The listener interrupts the thread that trains after 9 batches (epoch 2): fit must return there.
        StopAfter snapshots = new StopAfter(Integer.MAX_VALUE);
        TrainingListener interrupter = new TrainingListener() {
            private int batches;

            @Override
            public void onBatchEnd(int epoch, int batch, double meanLoss) {
                if (++batches == 9) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Network first = network();
        TrainingHistory partial;
        try {
            partial = trainer().listener(interrupter).listener(snapshots).build().fit(first, train, validation);
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt flag stays set").isTrue();
        }
        assertThat(partial.interrupted()).isTrue();
        assertThat(partial.epochs()).hasSize(1);
        assertThat(snapshots.snapshot).isNotNull();
        Network resumed = network();
        trainer().build().fit(resumed, train, validation, snapshots.snapshot);
        List<double[]> expected = weights(uninterrupted);
        List<double[]> actual = weights(resumed);
        for (int p = 0; p < expected.size(); p++) {
            assertThat(actual.get(p)).as("parameter %d", p).isEqualTo(expected.get(p));
        }
    }

    @ParameterizedTest(name = "stopped after {0} batches")
    @ValueSource(ints = {1, 5, 7, 13, 30})
    void aResumedRunEndsBitForBitLikeAnUninterruptedOne(int stopAfter) {
        Dataset train = data(50, 1);
        Dataset validation = data(20, 2);
        Network uninterrupted = network();
        TrainingHistory full = trainer().build().fit(uninterrupted, train, validation);

        Network first = network();
        StopAfter stop = new StopAfter(stopAfter);
        TrainingHistory partial = trainer().listener(stop).stopWhen(stop::stop).build().fit(first, train, validation);
        assertThat(partial.interrupted()).isTrue();
        assertThat(stop.snapshot).isNotNull();

        Network resumed = network(); // fresh weights: everything must come from the snapshot
        TrainingHistory rest = trainer().build().fit(resumed, train, validation, stop.snapshot);
        assertThat(rest.interrupted()).isFalse();
        List<double[]> expected = weights(uninterrupted);
        List<double[]> actual = weights(resumed);
        for (int p = 0; p < expected.size(); p++) {
            assertThat(actual.get(p)).as("parameter %d", p).isEqualTo(expected.get(p));
        }
        assertThat(rest.epochs()).hasSameSizeAs(full.epochs());
        assertThat(rest.last().trainLoss()).isEqualTo(full.last().trainLoss());
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestWeights() {
        Dataset train = data(40, 3);
        Dataset validation = data(40, 4);
        List<List<double[]>> perEpoch = new ArrayList<>();
        Network network = BACKPROP.network(4).dense(32).activation("tanh").dense(3).activation("softmax").seed(2).build();
        Trainer trainer = BACKPROP.trainer().loss("cross-entropy").optimizer("adam", Map.of("learning-rate", 0.05))
                .epochs(200).batchSize(4).seed(1)
                .earlyStopping(new EarlyStopping("validation-loss", 3, 0.0, true))
                .listener(new dev.backprop.api.TrainingListener() {
                    @Override
                    public void onEpochEnd(dev.backprop.api.EpochMetrics metrics) {
                        perEpoch.add(weights(network));
                    }
                }).build();
        TrainingHistory history = trainer.fit(network, train, validation);
        assertThat(history.stoppedEarly()).isTrue();
        assertThat(history.epochs()).hasSizeLessThan(200);
        int best = history.bestEpoch();
        assertThat(history.epochs()).hasSize(best + 3);
        double bestLoss = history.epochs().get(best - 1).validationLoss();
        assertThat(history.epochs()).allSatisfy(m -> assertThat(m.validationLoss()).isGreaterThanOrEqualTo(bestLoss));
        // The weights put back are the best epoch's (the listener saw them after the restore too).
        List<double[]> restored = weights(network);
        for (int p = 0; p < restored.size(); p++) {
            assertThat(restored.get(p)).isEqualTo(perEpoch.get(best - 1).get(p));
        }
    }

    @Test
    void earlyStoppingNeedsValidationData() {
        Trainer trainer = BACKPROP.trainer().earlyStopping(new EarlyStopping("validation-accuracy", 2, 0, false)).build();
        assertThatThrownBy(() -> trainer.fit(network(), data(10, 1))).hasMessageContaining("no validation data");
        assertThatThrownBy(() -> new EarlyStopping("train-loss", 2, 0, true)).hasMessageContaining("validation-loss or validation-accuracy");
    }

    @Test
    void theScheduleScalesTheLearningRateBeforeEachEpoch() {
        Optimizer optimizer = mock(Optimizer.class);
        BACKPROP.trainer().optimizer(() -> optimizer).schedule("step", Map.of("step-size", 2, "gamma", 0.5)).epochs(5).batchSize(10)
                .build().fit(BACKPROP.network(4).dense(3).build(), data(10, 5));
        InOrder order = inOrder(optimizer);
        order.verify(optimizer).bind(anyList());
        for (double factor : new double[] {1.0, 1.0, 0.5, 0.5, 0.25}) {
            order.verify(optimizer).setLearningRateScale(factor);
            order.verify(optimizer).step();
        }
    }

    @Test
    void weightDecayAddsLambdaTimesTheWeightToWeightGradientsOnly() {
        Network network = BACKPROP.network(2).dense(1).seed(3).build();
        double w0 = network.denseLayerAt(0).weight(0, 0);
        double w1 = network.denseLayerAt(0).weight(0, 1);
        double b = network.denseLayerAt(0).bias()[0];
        double[] x = {0.5, -1.5};
        double target = 2.0;
        BACKPROP.trainer().optimizer("sgd", Map.of("learning-rate", 0.1)).weightDecay(0.2).epochs(1).batchSize(1).shuffle(false).build()
                .fit(network, Dataset.of(new double[][] {x}, new double[][] {{target}}));
        double o = b + w0 * x[0] + w1 * x[1];
        assertThat(network.denseLayerAt(0).weight(0, 0)).isCloseTo(w0 - 0.1 * ((o - target) * x[0] + 0.2 * w0), within(1e-15));
        assertThat(network.denseLayerAt(0).weight(0, 1)).isCloseTo(w1 - 0.1 * ((o - target) * x[1] + 0.2 * w1), within(1e-15));
        assertThat(network.denseLayerAt(0).bias()[0]).isCloseTo(b - 0.1 * (o - target), within(1e-15));
    }

    @Test
    void dropoutIsActiveOnlyWhileTrainingAndSeeded() {
        Network network = BACKPROP.network(1).dropout(0.3).build();
        double[] ones = new double[1000];
        java.util.Arrays.fill(ones, 1.0);
        Network wide = BACKPROP.network(1000).dropout(0.3).build();
        assertThat(wide.predict(ones)).containsOnly(1.0);
        Backpropagation pass = new Backpropagation(wide, 1);
        var loss = BACKPROP.plugins().createLoss("squared-error", Map.of());
        pass.meanGradient(ones, new double[1000], 1, loss, 42);
        double[] dropped = pass.output().clone();
        long zeros = java.util.Arrays.stream(dropped, 0, 1000).filter(v -> v == 0).count();
        assertThat(zeros).isBetween(250L, 350L);
        assertThat(java.util.Arrays.stream(dropped, 0, 1000).filter(v -> v != 0)).allSatisfy(v -> assertThat(v).isCloseTo(1 / 0.7, within(1e-15)));
        pass.meanGradient(ones, new double[1000], 1, loss, 42);
        assertThat(java.util.Arrays.copyOf(pass.output(), 1000)).isEqualTo(java.util.Arrays.copyOf(dropped, 1000));
        pass.meanGradient(ones, new double[1000], 1, loss, 43);
        assertThat(java.util.Arrays.copyOf(pass.output(), 1000)).isNotEqualTo(java.util.Arrays.copyOf(dropped, 1000));
        assertThat(network.predict(new double[] {5})).containsExactly(5.0);
    }

    @Test
    void gradientsThroughDropoutCheckOutInDeterministicMode() {
        Network network = BACKPROP.network(3).dense(5).activation("tanh").dropout(0.5).dense(2).seed(4).build();
        var report = new GradientChecker().check(network, BACKPROP.plugins().createLoss("squared-error", Map.of()),
                Dataset.of(new double[][] {{0.1, -0.4, 0.9}, {0.3, 0.2, -0.5}}, new double[][] {{1, 0}, {0, 1}}));
        assertThat(report.passed()).as(report.toString()).isTrue();
    }

    @Test
    void trainedWeightsAreBitIdenticalWhateverTheNumberOfThreads() {
        Dataset train = bigData();
        List<double[]> one = null;
        for (int threads : new int[] {1, 2, 4}) {
            Network network = BACKPROP.network(100).dense(64, true, "he-uniform", Map.of()).activation("relu")
                    .dense(48, true, "he-uniform", Map.of()).activation("relu").dense(10).activation("softmax").seed(8).build();
            BACKPROP.trainer().loss("cross-entropy").optimizer("sgd", Map.of("learning-rate", 0.05)).epochs(2).batchSize(32).seed(3)
                    .threads(threads).build().fit(network, train);
            List<double[]> w = weights(network);
            if (one == null) {
                one = w;
            } else {
                for (int p = 0; p < w.size(); p++) {
                    assertThat(w.get(p)).as("%d threads, parameter %d", threads, p).isEqualTo(one.get(p));
                }
            }
        }
    }

    private static Dataset bigData() {
        SplittableRandom random = new SplittableRandom(17);
        double[][] x = new double[256][100];
        double[][] y = new double[256][10];
        for (int r = 0; r < x.length; r++) {
            for (int c = 0; c < 100; c++) {
                x[r][c] = random.nextDouble() < 0.3 ? 0 : random.nextDouble();
            }
            y[r][random.nextInt(10)] = 1;
        }
        return Dataset.of(x, y);
    }
}
