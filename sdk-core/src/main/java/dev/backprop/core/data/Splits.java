package dev.backprop.core.data;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.training.Dataset;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded random partitions of a dataset. */
public final class Splits {
    private Splits() {
    }

    /**
     * Shuffles the examples with a seeded generator and cuts them into the kept part and held-out parts of
     * the given fractions (each part at least one example).
     *
     * @param data the examples
     * @param seed the seed of the shuffle
     * @param fractions the fraction of each held-out part
     * @return the kept part first, then one part per fraction ({@code null} where the fraction is 0)
     */
    public static Dataset[] split(Dataset data, long seed, double... fractions) {
        java.util.Objects.requireNonNull(data, "data must not be null");
        java.util.Objects.requireNonNull(fractions, "fractions must not be null");
        for (double fraction : fractions) {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new BackpropException(ErrorCode.DATA_INVALID, "a held-out fraction must be in [0, 1), got " + fraction + ".");
            }
        }
        int n = data.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        Dataset[] parts = new Dataset[fractions.length + 1];
        int end = n;
        for (int p = 0; p < fractions.length; p++) {
            if (fractions[p] <= 0) {
                continue;
            }
            int size = (int) Math.round(n * fractions[p]);
            if (size < 1 || end - size < 1) {
                throw new BackpropException(ErrorCode.DATA_INVALID, "cannot hold out " + fractions[p] + " of " + n
                        + " examples: every part needs at least one example.");
            }
            parts[p + 1] = data.subset(Arrays.copyOfRange(order, end - size, end));
            end -= size;
        }
        parts[0] = data.subset(Arrays.copyOfRange(order, 0, end));
        return parts;
    }
}
