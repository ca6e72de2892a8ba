package dev.backprop.core.experiment;

import dev.backprop.api.EpochMetrics;
import dev.backprop.api.TrainingListener;

/** Interrupts the thread that fits (a sharded run's lead worker) when a given epoch ends: a stop at an exact step. */
final class InterruptingListener {
    private InterruptingListener() {
    }

    static TrainingListener after(int epoch) {
        return new TrainingListener() {
            @Override
            public void onEpochEnd(EpochMetrics metrics) {
                if (metrics.epoch() == epoch) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
