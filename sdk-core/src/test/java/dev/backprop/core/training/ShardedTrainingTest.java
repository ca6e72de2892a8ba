package dev.backprop.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.api.EpochMetrics;
import dev.backprop.api.TrainableParameter;
import dev.backprop.core.Backprop;
import dev.backprop.core.network.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sharded data-parallel training ({@link Trainer.Builder#sharded}): the plan of {@link Shards}, one shard
 * equal to the local trainer bit for bit, and N shards equal to the local trainer run on the order the
 * plan describes (computed here independently of the trainer).
 */
class ShardedTrainingTest {
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

    private static Network network() {
        return BACKPROP.network(5).dense(16).activation("tanh").dropout(0.2).dense(8).activation("relu").dense(3)
                .activation("softmax").seed(4).build();
    }

    private static Trainer.Builder trainer(int batchSize, int epochs) {
        return BACKPROP.trainer().loss("cross-entropy").optimizer("adam", Map.of("learning-rate", 0.01))
                .schedule("step", Map.of("step-size", 2, "gamma", 0.5)).weightDecay(1e-3).epochs(epochs).batchSize(batchSize)
                .seed(17).classification(true).threads(1);
    }

    private record Outcome(List<double[]> weights, List<EpochMetrics> history) {
    }

    private static List<double[]> weights(Network network) {
        List<double[]> copy = new ArrayList<>();
        for (TrainableParameter p : network.parameters()) {
            copy.add(p.values().clone());
        }
        return copy;
    }

    /** {@code workers} sharded trainers on threads, each given all the rows; by rank. */
    static List<Outcome> sharded(Dataset train, Dataset validation, int workers, Supplier<Trainer.Builder> builders) throws Exception {
        List<GradientExchange> group = InProcessGradientExchange.group(workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (GradientExchange member : group) {
                futures.add(pool.submit(() -> {
                    Network network = network();
                    TrainingHistory history = builders.get().sharded(member).build().fit(network, train, validation);
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

    @Test
    void thePlanOfTenRowsInBatchesOfFourOverThreeShards() {
        // batches of 4, 4 and 2 rows; a batch of 4 is shared 1, 1, 2 and one of 2 is shared 0, 1, 1
        Shards plan = new Shards(10, 4, 3);
        assertThat(plan.batches()).isEqualTo(3);
        assertThat(new int[] {plan.size(0), plan.size(1), plan.size(2)}).containsExactly(2, 3, 5);
        assertThat(new int[] {plan.offset(0), plan.offset(1), plan.offset(2)}).containsExactly(0, 2, 5);
        assertThat(new int[] {plan.position(2, 0), plan.position(2, 1), plan.position(2, 2)}).containsExactly(0, 2, 4);
    }

    @ParameterizedTest(name = "n={0} B={1} N={2}")
    @CsvSource({"1,1,1", "7,3,3", "100,32,3", "101,16,5", "5,8,4", "1000,1024,7", "33,2,2"})
    void everyRowBelongsToOneShardAndEveryBatchHasTheUnshardedSize(int n, int b, int shards) {
        Shards plan = new Shards(n, b, shards);
        int total = 0;
        for (int r = 0; r < shards; r++) {
            assertThat(plan.offset(r)).isEqualTo(total);
            total += plan.size(r);
        }
        assertThat(total).isEqualTo(n);
        int batch = Math.min(b, n);
        for (int r = 0; r < shards; r++) {
            int consumed = 0;
            for (int k = 0; k < plan.batches(); k++) {
                assertThat(plan.position(r, k)).isEqualTo(consumed);
                int rows = Math.min(batch, n - k * batch);
                consumed += Shards.share(rows, shards, r);
            }
            assertThat(consumed).as("worker %d consumes its shard exactly", r).isEqualTo(plan.size(r));
        }
    }

    @Test
    void oneShardIsBitIdenticalToTheLocalTrainer() throws Exception {
        Dataset train = data(101, 1);
        Dataset validation = data(40, 2);
        Network alone = network();
        TrainingHistory expected = trainer(16, 4).build().fit(alone, train, validation);
        Outcome actual = sharded(train, validation, 1, () -> trainer(16, 4)).get(0);
        List<double[]> w = weights(alone);
        for (int p = 0; p < w.size(); p++) {
            assertThat(actual.weights().get(p)).as("parameter block %d", p).isEqualTo(w.get(p));
        }
        for (int e = 0; e < expected.epochs().size(); e++) {
            assertThat(actual.history().get(e).trainLoss()).isEqualTo(expected.epochs().get(e).trainLoss());
            assertThat(actual.history().get(e).validationLoss()).isEqualTo(expected.epochs().get(e).validationLoss());
        }
    }

    /**
     * The order the sharded algorithm visits in one epoch, built from its description: shard {@code r} is a
     * contiguous range, shuffled by a generator seeded with {@code derivedSeed(seed, epoch, -r)}; each
     * global batch is the concatenation, by rank, of each worker's next share of rows.
     */
    private static int[] describedOrder(int n, int batchSize, int shards, long seed, int epoch) {
        Shards plan = new Shards(n, batchSize, shards);
        int[][] shardOrder = new int[shards][];
        for (int r = 0; r < shards; r++) {
            int[] order = new int[plan.size(r)];
            for (int i = 0; i < order.length; i++) {
                order[i] = plan.offset(r) + i;
            }
            SplittableRandom random = new SplittableRandom(ExampleOrder.derivedSeed(seed, epoch, -r));
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            shardOrder[r] = order;
        }
        int[] visit = new int[n];
        int at = 0;
        int[] next = new int[shards];
        for (int k = 0; k < plan.batches(); k++) {
            int rows = Math.min(batchSize, n - k * batchSize);
            for (int r = 0; r < shards; r++) {
                for (int i = 0; i < Shards.share(rows, shards, r); i++) {
                    visit[at++] = shardOrder[r][next[r]++];
                }
            }
        }
        return visit;
    }

    @ParameterizedTest(name = "{0} shards")
    @ValueSource(ints = {2, 3, 5})
    void shardsVisitTheDescribedOrderAndAgreeWithEachOther(int shards) throws Exception {
        Dataset train = data(101, 1);
        Dataset validation = data(40, 2);
        List<Outcome> outcomes = sharded(train, validation, shards, () -> trainer(16, 1));
        for (Outcome outcome : outcomes) {
            for (int p = 0; p < outcome.weights().size(); p++) {
                assertThat(outcome.weights().get(p)).isEqualTo(outcomes.get(0).weights().get(p));
            }
        }
        // The local trainer, unshuffled, on the rows in the described order: the same batches, the same
        // dropout masks (they follow a row's position in its batch), sums added in another order.
        Network alone = network();
        TrainingHistory reference = trainer(16, 1).shuffle(false).build()
                .fit(alone, train.subset(describedOrder(101, 16, shards, 17, 1)), validation);
        double worst = DataParallelTrainingTest.maxRelativeDifference(outcomes.get(0).weights(), weights(alone));
        assertThat(worst).isLessThan(1e-12);
        assertThat(outcomes.get(0).history().get(0).trainAccuracy()).isEqualTo(reference.epochs().get(0).trainAccuracy());
        // and not the unsharded run: a different order of rows gives visibly different weights
        Network unsharded = network();
        trainer(16, 1).build().fit(unsharded, train, validation);
        assertThat(DataParallelTrainingTest.maxRelativeDifference(outcomes.get(0).weights(), weights(unsharded)))
                .isGreaterThan(1e-6);
    }

    @Test
    void aWorkerGivenOnlyItsShardComputesTheSameAsOneGivenAllRows() throws Exception {
        Dataset train = data(101, 1);
        int shards = 3;
        Shards plan = new Shards(101, 16, shards);
        List<Outcome> all = sharded(train, null, shards, () -> trainer(16, 3));
        List<GradientExchange> group = InProcessGradientExchange.group(shards);
        ExecutorService pool = Executors.newFixedThreadPool(shards);
        try {
            List<Future<List<double[]>>> futures = new ArrayList<>();
            for (GradientExchange member : group) {
                int[] rows = new int[plan.size(member.rank())];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = plan.offset(member.rank()) + i;
                }
                Dataset shard = train.subset(rows);
                futures.add(pool.submit(() -> {
                    Network network = network();
                    trainer(16, 3).sharded(member).build().fitShard(network, shard, 101, null, null);
                    return weights(network);
                }));
            }
            for (Future<List<double[]>> future : futures) {
                List<double[]> actual = future.get(2, TimeUnit.MINUTES);
                for (int p = 0; p < actual.size(); p++) {
                    assertThat(actual.get(p)).isEqualTo(all.get(0).weights().get(p));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
