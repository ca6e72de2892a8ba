package dev.backprop.core.plugin;

import java.util.Collection;
import java.util.Optional;

/** Finds the closest valid name for "did you mean" hints in error messages. */
public final class NameSuggestions {
    private NameSuggestions() {
    }

    /**
     * @param wrong the name the user gave
     * @param candidates the valid names
     * @return the candidate with the smallest edit distance, if it is close enough to be a plausible typo
     */
    public static Optional<String> closest(String wrong, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(wrong.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        if (best == null || bestDistance > Math.max(2, best.length() / 3)) {
            return Optional.empty();
        }
        return Optional.of(best);
    }

    /**
     * @param wrong the name the user gave
     * @param candidates the valid names
     * @return {@code " Did you mean 'x'?"} or the empty string
     */
    public static String hint(String wrong, Collection<String> candidates) {
        return closest(wrong, candidates).map(s -> " Did you mean '" + s + "'?").orElse("");
    }

    /** Levenshtein distance with unit costs. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
