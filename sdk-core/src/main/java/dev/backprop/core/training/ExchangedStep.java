package dev.backprop.core.training;

import dev.backprop.api.LossFunction;
import dev.backprop.api.TrainableParameter;
import dev.backprop.core.network.Backpropagation;
import dev.backprop.core.network.Network;
import java.util.Arrays;
import java.util.List;

/**
 * A batch shared by data-parallel workers: this worker's slice (rows {@code batchRows * rank / W} up to
 * {@code batchRows * (rank + 1) / W}), the exchange of gradient sums, and the total divided once by the
 * batch's size and written into the parameters.
 */
final class ExchangedStep implements BatchStep {
    private final Backpropagation pass;
    private final Network network;
    private final Dataset train;
    private final LossFunction loss;
    private final boolean classification;
    private final GradientExchange exchange;
    private final double[] x;
    private final double[] t;
    /** What this worker sends each step: its gradient sums, then its loss and its correct count. */
    private final double[] shared;
    private long correct;

    ExchangedStep(Backpropagation pass, Dataset train, LossFunction loss, boolean classification, GradientExchange exchange) {
        this.pass = pass;
        this.network = pass.network();
        this.train = train;
        this.loss = loss;
        this.classification = classification;
        this.exchange = exchange;
        this.x = new double[pass.maxRows() * train.inputSize()];
        this.t = new double[pass.maxRows() * train.targetSize()];
        this.shared = new double[Math.toIntExact(network.parameterCount()) + 2];
    }

    /** @return the most rows one worker computes of a batch of {@code batchSize} */
    static int sliceRows(int batchSize, GradientExchange exchange) {
        return (batchSize + exchange.workers() - 1) / exchange.workers();
    }

    @Override
    public double compute(int[] order, int from, int batchRows, long dropoutSeed) {
        int workers = exchange.workers();
        int rank = exchange.rank();
        int first = (int) ((long) batchRows * rank / workers);
        int slice = (int) ((long) batchRows * (rank + 1) / workers) - first;
        int count = shared.length - 2;
        List<TrainableParameter> parameters = network.parameters();
        if (slice > 0) {
            for (int r = 0; r < slice; r++) {
                train.copyRowTo(order[from + first + r], r, x, t);
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
        return total[count];
    }

    @Override
    public long correct() {
        return correct;
    }
}
