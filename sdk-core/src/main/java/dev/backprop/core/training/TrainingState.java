package dev.backprop.core.training;

import dev.backprop.api.EpochMetrics;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to continue a run exactly where it stopped: the weights, the optimizer's state, the
 * position (completed epochs and, for a run stopped mid-epoch, the batches already done of the next one
 * with their running sums), the metrics so far and the early-stopping bookkeeping. The order of every
 * epoch and every dropout mask are derived from the seed and the position, so no generator state is
 * needed: a resumed run ends with the same weights, bit for bit, as an uninterrupted one.
 *
 * @param epoch the number of completed epochs
 * @param batch the number of completed batches of epoch {@code epoch + 1} (0 at an epoch boundary)
 * @param partialLoss the summed loss of those batches
 * @param partialCorrect the correctly classified examples of those batches
 * @param weights copies of the network's parameter values, in {@link dev.backprop.core.network.Network#parameters()} order
 * @param optimizerState the optimizer's {@link dev.backprop.api.Optimizer#state()}
 * @param history the metrics of the completed epochs
 * @param bestValue the best monitored value so far (early stopping), or NaN
 * @param bestEpoch the epoch of {@code bestValue}, or 0
 * @param epochsWithoutImprovement epochs since the best value
 * @param bestWeights the weights at the best epoch (when restoring the best), or an empty list
 */
public record TrainingState(int epoch, int batch, double partialLoss, long partialCorrect, List<double[]> weights,
        Map<String, double[]> optimizerState, List<EpochMetrics> history, double bestValue, int bestEpoch,
        int epochsWithoutImprovement, List<double[]> bestWeights) {

    /**
     * Copies the collections.
     *
     * @param epoch the number of completed epochs
     * @param batch the number of completed batches of epoch {@code epoch + 1} (0 at an epoch boundary)
     * @param partialLoss the summed loss of those batches
     * @param partialCorrect the correctly classified examples of those batches
     * @param weights copies of the network's parameter values, in {@link dev.backprop.core.network.Network#parameters()} order
     * @param optimizerState the optimizer's {@link dev.backprop.api.Optimizer#state()}
     * @param history the metrics of the completed epochs
     * @param bestValue the best monitored value so far (early stopping), or NaN
     * @param bestEpoch the epoch of {@code bestValue}, or 0
     * @param epochsWithoutImprovement epochs since the best value
     * @param bestWeights the weights at the best epoch (when restoring the best), or an empty list
     */
    public TrainingState {
        weights = List.copyOf(weights);
        optimizerState = Map.copyOf(optimizerState);
        history = List.copyOf(history);
        bestWeights = List.copyOf(bestWeights);
    }
}
