package dev.backprop.api;

/**
 * Receives events from a training run, on the training thread, in order. All methods have empty
 * defaults; override the ones you need. A listener must not modify the network. An exception thrown by
 * a listener stops the run and propagates to the caller.
 */
public interface TrainingListener {

    /**
     * Called once before the first epoch.
     *
     * @param epochs the number of epochs planned
     * @param examples the number of training examples
     * @param batchSize the mini-batch size
     */
    default void onTrainingStart(int epochs, int examples, int batchSize) {
    }

    /**
     * @param epoch the epoch about to start, from 1
     */
    default void onEpochStart(int epoch) {
    }

    /**
     * Called after each mini-batch update.
     *
     * @param epoch the current epoch, from 1
     * @param batch the batch just applied, from 1
     * @param meanLoss the mean per-example loss of that batch, before its update
     */
    default void onBatchEnd(int epoch, int batch, double meanLoss) {
    }

    /**
     * @param metrics what the epoch measured
     */
    default void onEpochEnd(EpochMetrics metrics) {
    }

    /**
     * Called once after the last epoch, unless the run failed.
     */
    default void onTrainingEnd() {
    }
}
