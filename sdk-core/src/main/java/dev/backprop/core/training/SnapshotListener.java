package dev.backprop.core.training;

import dev.backprop.api.TrainingListener;

/**
 * A listener that also receives {@link TrainingState} snapshots: every {@code checkpointEvery} epochs,
 * at the end of the run, and when the run stops on request. Checkpoint writers implement it.
 */
public interface SnapshotListener extends TrainingListener {

    /**
     * @param state the state to save
     */
    void onSnapshot(TrainingState state);
}
