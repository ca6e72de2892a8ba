package dev.backprop.core.training;

import dev.backprop.api.LossFunction;
import dev.backprop.api.TrainableParameter;
import dev.backprop.core.network.Backpropagation;
import dev.backprop.core.network.Network;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A batch shared by data-parallel workers: this worker's slice (rows {@code batchRows * rank / W} up to
 * {@code batchRows * (rank + 1) / W} of the global batch), the exchange of gradient sums, and the total
 * divided once by the batch's size and written into the parameters.
 *
 * <p>Unsharded, every worker walks the same global example order and takes its slice of it. Sharded
 * ({@link Shards}), worker {@code r} walks its own shard in its own seeded order and its slice of batch
 * {@code k} is the next {@code share} rows of that order.
 */
final class ExchangedStep implements BatchStep {
    private final Backpropagation pass;
    private final Network network;
    private final Dataset train;
    private final LossFunction loss;
    private final boolean classification;
    private final GradientExchange exchange;
    private final BooleanSupplier stopRequested;
    /** Sharded: the plan, this worker's shard order and the index in {@code train} of the shard's first row; else null. */
    private final Shards shards;
    private final ExampleOrder shardOrder;
    private final int shardBase;
    private final int batchSize;
    private int[] shardVisit;
    private final double[] x;
    private final double[] t;
    /** What this worker sends each step: its gradient sums, then its loss, its correct count and its stop vote. */
    private final double[] shared;
    private long correct;
    private boolean stopVoted;

    ExchangedStep(Backpropagation pass, Dataset train, LossFunction loss, boolean classification, GradientExchange exchange,
            BooleanSupplier stopRequested, Shards shards, int shardBase, boolean shuffle, long seed) {
        this.pass = pass;
        this.network = pass.network();
        this.train = train;
        this.loss = loss;
        this.classification = classification;
        this.exchange = exchange;
        this.stopRequested = stopRequested;
        this.shards = shards;
        this.shardBase = shardBase;
        this.shardOrder = shards == null ? null : new ExampleOrder(shards.size(exchange.rank()), shuffle, seed, exchange.rank());
        this.batchSize = shards == null ? 0 : shards.batchSize();
        this.x = new double[pass.maxRows() * train.inputSize()];
        this.t = new double[pass.maxRows() * train.targetSize()];
        this.shared = new double[Math.toIntExact(network.parameterCount()) + 3];
    }

    /** @return the most rows one worker computes of a batch of {@code batchSize} */
    static int sliceRows(int batchSize, GradientExchange exchange) {
        return (batchSize + exchange.workers() - 1) / exchange.workers();
    }

    @Override
    public void startEpoch(int epoch) {
        if (shardOrder != null) {
            shardVisit = shardOrder.forEpoch(epoch);
        }
    }

    @Override
    public double compute(int[] order, int from, int batchRows, long dropoutSeed) {
        int workers = exchange.workers();
        int rank = exchange.rank();
        int first = Shards.first(batchRows, workers, rank);
        int slice = Shards.share(batchRows, workers, rank);
        int count = shared.length - 3;
        List<TrainableParameter> parameters = network.parameters();
        if (slice > 0) {
            if (shards == null) {
                for (int r = 0; r < slice; r++) {
                    train.copyRowTo(order[from + first + r], r, x, t);
                }
            } else {
                int position = shards.position(rank, from / batchSize);
                for (int r = 0; r < slice; r++) {
                    train.copyRowTo(shardBase + shardVisit[position + r], r, x, t);
                }
            }
            shared[count] = pass.gradientSum(x, t, slice, loss, dropoutSeed, first);
            shared[count + 1] = classification ? Accuracy.correct(pass.output(), t, slice, network.outputSize()) : 0;
            int offset = 0;
            for (TrainableParameter p : parameters) {
                System.arraycopy(p.gradient(), 0, shared, offset, p.size());
                offset += p.size();
            }
        } else {
            Arrays.fill(shared, 0.0); // more workers than rows: this one adds nothing
        }
        shared[count + 2] = stopRequested.getAsBoolean() ? 1 : 0;
        double[] total = exchange.sumInRankOrder(shared);
        if (total.length != shared.length) {
            throw new IllegalStateException("the exchange returned " + total.length + " values, expected " + shared.length);
        }
        int offset = 0;
        for (TrainableParameter p : parameters) {
            System.arraycopy(total, offset, p.gradient(), 0, p.size());
            offset += p.size();
        }
        Backpropagation.divideGradients(parameters, batchRows);
        correct = (long) total[count + 1];
        stopVoted = total[count + 2] > 0;
        return total[count];
    }

    @Override
    public long correct() {
        return correct;
    }

    @Override
    public boolean stopVoted() {
        return stopVoted;
    }
}
