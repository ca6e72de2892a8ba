package dev.backprop.core.experiment;

import dev.backprop.api.BackpropException;
import dev.backprop.core.network.Network;
import dev.backprop.core.training.Dataset;
import dev.backprop.core.training.GradientExchange;
import dev.backprop.core.training.InProcessGradientExchange;
import dev.backprop.core.training.Trainer;
import dev.backprop.core.training.TrainingHistory;
import dev.backprop.core.training.TrainingState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * A sharded run ({@code training.shards: N}) in this JVM: N worker threads, each with its own copy of the
 * network and its own shard, exchanging gradient sums through an {@link InProcessGradientExchange}. Worker
 * 0 trains the prepared network itself and carries the run's listeners; the others carry none.
 */
final class ShardedLocalTraining {
    private ShardedLocalTraining() {
    }

    /**
     * @param lead worker 0's trainer settings, listeners included
     * @param others a fresh trainer builder for each other worker, without listeners
     * @param shards the number of workers
     * @return worker 0's history; every worker ends with the same weights
     */
    static TrainingHistory fit(Trainer.Builder lead, Supplier<Trainer.Builder> others, int shards, Network network, Dataset train,
            Dataset validation, TrainingState resume) {
        List<GradientExchange> group = InProcessGradientExchange.group(shards);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / shards);
        List<Network> copies = new ArrayList<>();
        for (int rank = 1; rank < shards; rank++) {
            copies.add(network.copy());
        }
        ExecutorService pool = Executors.newFixedThreadPool(shards - 1, runnable -> {
            Thread thread = new Thread(runnable, "backprop-shard");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<TrainingHistory>> workers = new ArrayList<>();
            for (int rank = 1; rank < shards; rank++) {
                Trainer trainer = others.get().threads(threads).sharded(group.get(rank)).build();
                Network copy = copies.get(rank - 1);
                workers.add(pool.submit(() -> trainer.fit(copy, train, validation, resume)));
            }
            TrainingHistory history;
            try {
                history = lead.threads(threads).sharded(group.get(0)).build().fit(network, train, validation, resume);
            } catch (RuntimeException e) {
                throw firstCause(workers, e);
            }
            for (Future<TrainingHistory> worker : workers) {
                // The workers end with the lead, step for step: an interrupt of this thread (which stopped the lead,
                // or came after its last epoch) must not abandon a run that has trained.
                getUninterruptibly(worker);
            }
            return history;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T getUninterruptibly(Future<T> future) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The SDK error a worker failed with, in preference to "another worker failed" at worker 0. */
    private static RuntimeException firstCause(List<Future<TrainingHistory>> workers, RuntimeException own) {
        if (own instanceof BackpropException) {
            return own;
        }
        for (Future<TrainingHistory> worker : workers) {
            try {
                worker.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof BackpropException known) {
                    return known;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return own;
    }
}
