package dev.backprop.plugins.optimizers;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Restores named per-parameter state arrays ({@code prefix[p]}) into an optimizer's own arrays, refusing
 * state that no run of the optimizer could have saved: a name it does not write, a missing or mis-sized
 * array, a value that is not finite.
 */
final class StateArrays {
    private StateArrays() {
    }

    /**
     * @param state the saved state
     * @param expected every name the optimizer writes; any other name is refused
     */
    static void onlyNames(Map<String, double[]> state, Set<String> expected) {
        Set<String> unknown = new TreeSet<>(state.keySet());
        unknown.removeAll(expected);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("saved optimizer state has " + String.join(", ", unknown)
                    + ", which this optimizer does not keep; it keeps " + (expected.isEmpty() ? "no state" : String.join(", ",
                    new TreeSet<>(expected))));
        }
    }

    /** @return {@code prefix[0]} to {@code prefix[count - 1]} */
    static Set<String> names(String prefix, int count) {
        Set<String> names = new TreeSet<>();
        for (int p = 0; p < count; p++) {
            names.add(prefix + "[" + p + "]");
        }
        return names;
    }

    /**
     * Checks every array of {@code prefix} before any is copied, so a refused state changes nothing.
     *
     * @param nonNegative whether each value must also be &gt;= 0 (a running mean of squares)
     */
    static void check(Map<String, double[]> state, String prefix, List<double[]> target, boolean nonNegative) {
        for (int p = 0; p < target.size(); p++) {
            String name = prefix + "[" + p + "]";
            double[] saved = state.get(name);
            if (saved == null || saved.length != target.get(p).length) {
                throw new IllegalArgumentException("saved optimizer state " + name + " is missing or has the wrong size");
            }
            for (int i = 0; i < saved.length; i++) {
                if (!Double.isFinite(saved[i]) || nonNegative && !(saved[i] >= 0)) {
                    throw new IllegalArgumentException("saved optimizer state " + name + "[" + i + "] is " + saved[i]
                            + "; expected a finite number" + (nonNegative ? " >= 0 (a mean of squares)" : ""));
                }
            }
        }
    }

    /** Copies arrays already {@linkplain #check checked}. */
    static void restore(Map<String, double[]> state, String prefix, List<double[]> target) {
        for (int p = 0; p < target.size(); p++) {
            double[] saved = state.get(prefix + "[" + p + "]");
            System.arraycopy(saved, 0, target.get(p), 0, saved.length);
        }
    }
}
