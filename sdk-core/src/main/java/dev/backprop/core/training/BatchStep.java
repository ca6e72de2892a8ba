package dev.backprop.core.training;

/**
 * How one batch becomes a mean gradient in the network's parameters: in this JVM ({@link LocalStep}) or
 * shared among data-parallel workers ({@link ExchangedStep}).
 */
interface BatchStep {
    /**
     * Called before the first batch of each epoch (a resumed epoch included).
     *
     * @param epoch the epoch, from 1
     */
    default void startEpoch(int epoch) {
    }

    /**
     * @param order the epoch's example order
     * @param from the position in {@code order} of the batch's first example
     * @param batchRows the number of examples in the batch
     * @param dropoutSeed the seed of the batch's dropout masks
     * @return the summed loss of the batch, measured before the update
     */
    double compute(int[] order, int from, int batchRows, long dropoutSeed);

    /** @return how many examples of the last batch were classified correctly (0 unless classifying) */
    long correct();

    /** @return whether a stop was requested in the last batch; data-parallel workers agree on it through the exchange */
    default boolean stopVoted() {
        return false;
    }
}
