package dev.backprop.core.training;

import dev.backprop.api.EpochMetrics;
import java.util.List;

/**
 * The metrics of every epoch of a run, in order, and how it ended.
 *
 * @param epochs one entry per completed epoch
 * @param bestEpoch the best epoch by the early-stopping metric, or 0 without early stopping
 * @param stoppedEarly whether early stopping ended the run
 * @param interrupted whether a stop request ended the run before its last epoch
 */
public record TrainingHistory(List<EpochMetrics> epochs, int bestEpoch, boolean stoppedEarly, boolean interrupted) {

    /**
     * Copies the list.
     *
     * @param epochs one entry per completed epoch
     * @param bestEpoch the best epoch by the early-stopping metric, or 0 without early stopping
     * @param stoppedEarly whether early stopping ended the run
     * @param interrupted whether a stop request ended the run before its last epoch
     */
    public TrainingHistory {
        epochs = List.copyOf(epochs);
    }

    /**
     * @param epochs one entry per epoch of a run that ran to its end
     */
    public TrainingHistory(List<EpochMetrics> epochs) {
        this(epochs, 0, false, false);
    }

    /** @return the metrics of the last epoch */
    public EpochMetrics last() {
        return epochs.get(epochs.size() - 1);
    }
}
