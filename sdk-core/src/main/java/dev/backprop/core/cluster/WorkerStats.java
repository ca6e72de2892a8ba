package dev.backprop.core.cluster;

import java.io.Serializable;

/**
 * What one worker of a data-parallel run did, for the run directory's {@code cluster.json}.
 *
 * @param rank the worker's rank
 * @param rowsLoaded the training rows this worker loaded (all of them, unless it read only its shard)
 * @param rowsPerEpoch the training rows this worker computes each epoch (its share of every batch); over
 *     all workers they add up to the training rows
 * @param steps how many gradient exchanges (optimizer steps) it made
 * @param trainingNanos its time in {@code Trainer.fit}
 * @param exchangeNanos of that, the time spent exchanging gradients (waiting for the others included)
 * @param bytesSent the bytes it sent to the other workers
 * @param bytesReceived the bytes it received from them
 * @param trainLossSum the summed loss of its shard after training, when it holds only its shard (else NaN)
 * @param trainCorrect how many of its shard's rows it classifies correctly after training (0 unless it holds only its shard)
 */
public record WorkerStats(int rank, long rowsLoaded, long rowsPerEpoch, long steps, long trainingNanos, long exchangeNanos,
        long bytesSent, long bytesReceived, double trainLossSum, long trainCorrect) implements Serializable {
    private static final long serialVersionUID = 1L;
}
