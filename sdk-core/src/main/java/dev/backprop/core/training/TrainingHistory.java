package dev.backprop.core.training;

import dev.backprop.api.EpochMetrics;
import java.util.List;

/**
 * The metrics of every epoch of a finished run, in order.
 *
 * @param epochs one entry per epoch
 */
public record TrainingHistory(List<EpochMetrics> epochs) {

    /** Copies the list. */
    public TrainingHistory {
        epochs = List.copyOf(epochs);
    }

    /** @return the metrics of the last epoch */
    public EpochMetrics last() {
        return epochs.get(epochs.size() - 1);
    }
}
