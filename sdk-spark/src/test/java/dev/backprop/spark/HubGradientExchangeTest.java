package dev.backprop.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.training.GradientExchange;
import java.io.DataOutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The TCP exchange between workers, with threads in place of Spark tasks. */
class HubGradientExchangeTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** The one-time rendezvous a barrier stage's allGather gives, between threads. */
    static final class Rendezvous {
        private final String[] messages;
        private final CyclicBarrier barrier;

        Rendezvous(int workers, Runnable beforeRelease) {
            this.messages = new String[workers];
            this.barrier = new CyclicBarrier(workers, beforeRelease);
        }

        Function<String, String[]> of(int rank) {
            return message -> {
                messages[rank] = message;
                try {
                    barrier.await(5, TimeUnit.MINUTES); // a hang detector only
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return messages.clone();
            };
        }
    }

    private List<Future<double[]>> start(int workers, Rendezvous rendezvous, List<double[]> values, int failing) {
        List<Future<double[]>> results = new ArrayList<>();
        for (int rank = 0; rank < workers; rank++) {
            int r = rank;
            results.add(pool.submit(() -> {
                try (HubGradientExchange exchange = HubGradientExchange.connect(r, workers, "127.0.0.1", rendezvous.of(r))) {
                    assertThat(exchange.rank()).isEqualTo(r);
                    assertThat(exchange.workers()).isEqualTo(workers);
                    double[] total = null;
                    for (int step = 0; step < 3; step++) {
                        if (r == failing && step == 2) {
                            BackpropException failure = new BackpropException(ErrorCode.PLUGIN_FAILED, "worker " + r + " broke on purpose");
                            exchange.abort(failure);
                            throw failure;
                        }
                        total = exchange.sumInRankOrder(values.get(r));
                    }
                    return total;
                }
            }));
        }
        return results;
    }

    private static List<double[]> randomValues(int workers, int length) {
        SplittableRandom random = new SplittableRandom(3);
        List<double[]> values = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            double[] v = new double[length];
            for (int i = 0; i < length; i++) {
                v[i] = random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(-300, 300));
            }
            v[0] = -0.0;
            v[1] = Double.MIN_VALUE * (w + 1);
            values.add(v);
        }
        return values;
    }

    @Test
    void everyWorkerGetsTheRankOrderSumBitForBit() throws Exception {
        int workers = 4;
        List<double[]> values = randomValues(workers, 100_003);
        double[] expected = GradientExchange.addInRankOrder(values);
        List<Future<double[]>> results = start(workers, new Rendezvous(workers, () -> { }), values, -1);
        for (Future<double[]> result : results) {
            assertThat(result.get(1, TimeUnit.MINUTES)).isEqualTo(expected);
        }
    }

    @Test
    void aConnectionWithoutTheTokenIsIgnored() throws Exception {
        int workers = 3;
        List<double[]> values = randomValues(workers, 17);
        Rendezvous[] holder = new Rendezvous[1];
        // Before the workers learn the hub's address, a stranger connects to it with a wrong token.
        holder[0] = new Rendezvous(workers, () -> {
            String[] hub = holder[0].messages[0].split(" ");
            try {
                Socket stranger = new Socket("127.0.0.1", Integer.parseInt(hub[1]));
                DataOutputStream out = new DataOutputStream(stranger.getOutputStream());
                out.writeUTF("not-the-token");
                out.writeInt(1);
                out.flush();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        double[] expected = GradientExchange.addInRankOrder(values);
        for (Future<double[]> result : start(workers, holder[0], values, -1)) {
            assertThat(result.get(1, TimeUnit.MINUTES)).isEqualTo(expected);
        }
    }

    @Test
    void aFailingWorkersErrorReachesEveryWorker() throws Exception {
        int workers = 3;
        List<Future<double[]>> results = start(workers, new Rendezvous(workers, () -> { }), randomValues(workers, 1_000), 2);
        for (Future<double[]> result : results) {
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
