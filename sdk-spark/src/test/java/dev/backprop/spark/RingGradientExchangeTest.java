package dev.backprop.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.training.GradientExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ring exchange between workers, with threads in place of Spark tasks. */
class RingGradientExchangeTest {
    private static final int STEPS = 3;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** What one worker saw: the total of each step and its traffic. */
    private record Seen(List<double[]> totals, long sent, long received) {
    }

    private List<Future<Seen>> start(int workers, List<double[]> values, int failing) {
        HubGradientExchangeTest.Rendezvous rendezvous = new HubGradientExchangeTest.Rendezvous(workers, () -> { });
        List<Future<Seen>> results = new ArrayList<>();
        for (int rank = 0; rank < workers; rank++) {
            int r = rank;
            results.add(pool.submit(() -> {
                try (RingGradientExchange exchange = RingGradientExchange.connect(r, workers, "127.0.0.1", rendezvous.of(r))) {
                    assertThat(exchange.rank()).isEqualTo(r);
                    assertThat(exchange.workers()).isEqualTo(workers);
                    List<double[]> totals = new ArrayList<>();
                    for (int step = 0; step < STEPS; step++) {
                        if (r == failing && step == 2) {
                            BackpropException failure = new BackpropException(ErrorCode.PLUGIN_FAILED, "worker " + r + " broke on purpose");
                            exchange.abort(failure);
                            throw failure;
                        }
                        totals.add(exchange.sumInRankOrder(values.get(r)));
                    }
                    return new Seen(totals, exchange.bytesSent(), exchange.bytesReceived());
                }
            }));
        }
        return results;
    }

    /** Random values of every magnitude, with the extremes: 1e308 and -1e308, subnormals, NaN, infinities, -0.0. */
    private static List<double[]> extremeValues(int workers, int length) {
        SplittableRandom random = new SplittableRandom(5 + workers);
        List<double[]> values = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            double[] v = new double[length];
            for (int i = 0; i < length; i++) {
                v[i] = random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(-320, 309));
            }
            if (length > 8) {
                v[0] = -0.0;
                v[1] = Double.MIN_VALUE * (w + 1);
                v[2] = w % 2 == 0 ? 1e308 : -1e308;
                v[3] = 1e308;
                v[4] = w == workers - 1 ? Double.NaN : 1.0;
                v[5] = w == 0 ? Double.POSITIVE_INFINITY : -1e308;
                v[6] = -Double.MIN_NORMAL / (w + 2);
                v[7] = w == 0 ? 1.0 : 1e-16;
            }
            values.add(v);
        }
        return values;
    }

    private static long[] bits(double[] values) {
        long[] bits = new long[values.length];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return bits;
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void everyWorkerGetsTheRankOrderSumBitForBit(int workers) throws Exception {
        for (int length : new int[] {9, RingGradientExchange.CHUNK, 3 * RingGradientExchange.CHUNK + 5}) {
            List<double[]> values = extremeValues(workers, length);
            double[] expected = GradientExchange.addInRankOrder(values);
            for (Future<Seen> result : start(workers, values, -1)) {
                for (double[] total : result.get(1, TimeUnit.MINUTES).totals()) {
                    assertThat(bits(total)).isEqualTo(bits(expected));
                }
            }
        }
    }

    @Test
    void theOrderIsRankOrderNotAnother() throws Exception {
        // ((1 + 1e-16) + 1e-16) rounds to 1 twice; 1 + (1e-16 + 1e-16) would not.
        // ((1e308 + 1e308) + -1e308) overflows; 1e308 + (1e308 + -1e308) would not.
        List<double[]> values = List.of(new double[] {1.0, 1e308}, new double[] {1e-16, 1e308}, new double[] {1e-16, -1e308});
        for (Future<Seen> result : start(3, values, -1)) {
            double[] total = result.get(1, TimeUnit.MINUTES).totals().get(0);
            assertThat(total[0]).isEqualTo(1.0);
            assertThat(total[1]).isEqualTo(Double.POSITIVE_INFINITY);
        }
        assertThat(1.0 + (1e-16 + 1e-16)).isGreaterThan(1.0);
    }

    @Test
    void aNaNFromAnyWorkerReachesEveryWorker() throws Exception {
        for (int nanRank = 0; nanRank < 4; nanRank++) {
            List<double[]> values = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                values.add(new double[] {w == nanRank ? Double.NaN : w, 1});
            }
            for (Future<Seen> result : start(4, values, -1)) {
                double[] total = result.get(1, TimeUnit.MINUTES).totals().get(0);
                assertThat(total[0]).isNaN();
                assertThat(total[1]).isEqualTo(4.0);
            }
        }
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {2, 3, 5})
    void eachWorkerSendsAndReceivesAtMostTwoModelSizesPerStep(int workers) throws Exception {
        int length = 2 * RingGradientExchange.CHUNK + 100;
        long pass = (long) length * Double.BYTES + 3L * Integer.BYTES; // one pass of 3 chunks, each with its count
        List<Future<Seen>> results = start(workers, extremeValues(workers, length), -1);
        for (int rank = 0; rank < workers; rank++) {
            Seen seen = results.get(rank).get(1, TimeUnit.MINUTES);
            // rank 0 sends in both passes; N-2 only reduces, N-1 only shares; the others forward in both
            long sends = workers == 2 ? 1 : rank == workers - 1 || rank == workers - 2 ? 1 : 2;
            long receives = workers == 2 ? 1 : rank == 0 || rank == workers - 1 ? 1 : 2;
            assertThat(seen.sent()).as("worker %d sent", rank).isEqualTo(STEPS * sends * pass);
            assertThat(seen.received()).as("worker %d received", rank).isEqualTo(STEPS * receives * pass);
        }
    }

    @Test
    void aFailingWorkersErrorReachesEveryWorker() throws Exception {
        int workers = 4;
        List<Future<Seen>> results = start(workers, extremeValues(workers, 3 * RingGradientExchange.CHUNK), 2);
        for (Future<Seen> result : results) {
            try {
                result.get(1, TimeUnit.MINUTES);
                throw new AssertionError("expected a failure");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOfSatisfying(BackpropException.class, b -> {
                    assertThat(b.code()).isEqualTo(ErrorCode.PLUGIN_FAILED);
                    assertThat(b.detail()).isEqualTo("worker 2 broke on purpose");
                });
            }
        }
    }
}
