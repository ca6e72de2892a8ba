package dev.backprop.plugins.optimizers;

import java.util.List;
import java.util.Map;

/** Restores named per-parameter state arrays ({@code prefix[p]}) into an optimizer's own arrays. */
final class StateArrays {
    private StateArrays() {
    }

    static void restore(Map<String, double[]> state, String prefix, List<double[]> target) {
        for (int p = 0; p < target.size(); p++) {
            double[] saved = state.get(prefix + "[" + p + "]");
            if (saved == null || saved.length != target.get(p).length) {
                throw new IllegalArgumentException("saved optimizer state " + prefix + "[" + p + "] is missing or has the wrong size");
            }
            System.arraycopy(saved, 0, target.get(p), 0, saved.length);
        }
    }
}
