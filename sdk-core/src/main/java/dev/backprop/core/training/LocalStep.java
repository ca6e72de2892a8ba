package dev.backprop.core.training;

import dev.backprop.api.LossFunction;
import dev.backprop.core.network.Backpropagation;

/** A batch computed in this JVM: one forward and backward pass over all its examples. */
final class LocalStep implements BatchStep {
    private final Backpropagation pass;
    private final Dataset train;
    private final LossFunction loss;
    private final boolean classification;
    private final double[] x;
    private final double[] t;
    private long correct;

    LocalStep(Backpropagation pass, Dataset train, LossFunction loss, boolean classification) {
        this.pass = pass;
        this.train = train;
        this.loss = loss;
        this.classification = classification;
        this.x = new double[pass.maxRows() * train.inputSize()];
        this.t = new double[pass.maxRows() * train.targetSize()];
    }

    @Override
    public double compute(int[] order, int from, int batchRows, long dropoutSeed) {
        for (int r = 0; r < batchRows; r++) {
            train.copyRowTo(order[from + r], r, x, t);
        }
        double batchLoss = pass.meanGradient(x, t, batchRows, loss, dropoutSeed);
        correct = classification ? Accuracy.correct(pass.output(), t, batchRows, pass.network().outputSize()) : 0;
        return batchLoss;
    }

    @Override
    public long correct() {
        return correct;
    }
}
