package dev.backprop.api;

/**
 * What one epoch of training measured. Values that do not apply (no validation set, not a
 * classification task) are {@link Double#NaN}.
 *
 * @param epoch the epoch number, from 1
 * @param trainLoss the mean over the epoch's examples of the per-example loss, each measured by the
 *     forward pass just before the update that used it
 * @param validationLoss the mean per-example loss on the validation set after the epoch, or NaN
 * @param trainAccuracy the fraction of training examples classified correctly during the epoch, or NaN
 * @param validationAccuracy the fraction of validation examples classified correctly after the epoch, or NaN
 * @param seconds the wall-clock duration of the epoch, validation included
 * @param examples the number of training examples processed in the epoch
 */
public record EpochMetrics(
        int epoch, double trainLoss, double validationLoss, double trainAccuracy, double validationAccuracy,
        double seconds, long examples) {

    /** @return training examples per second in this epoch */
    public double examplesPerSecond() {
        return seconds > 0 ? examples / seconds : Double.POSITIVE_INFINITY;
    }
}
