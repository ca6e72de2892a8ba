package dev.backprop.core.training;

import java.util.SplittableRandom;

/**
 * The order in which an epoch visits the examples: as given, or shuffled by a generator derived from the
 * seed and the epoch number, so that the same seed gives the same order in every run and after a resume.
 */
final class ExampleOrder {
    private final int[] order;
    private final boolean shuffle;
    private final long seed;
    private final int rank;

    ExampleOrder(int examples, boolean shuffle, long seed) {
        this(examples, shuffle, seed, 0);
    }

    /**
     * The order of one worker's shard: shuffled with {@code derivedSeed(seed, epoch, -rank)}, which for
     * rank 0 is the unsharded order's seed and never equals a batch's dropout seed (batches count from 1).
     */
    ExampleOrder(int examples, boolean shuffle, long seed, int rank) {
        this.order = new int[examples];
        this.shuffle = shuffle;
        this.seed = seed;
        this.rank = rank;
    }

    /** @return the example indices of {@code epoch}, in visiting order (the same array every call) */
    int[] forEpoch(int epoch) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom random = new SplittableRandom(derivedSeed(seed, epoch, -rank));
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        return order;
    }

    /** The seed of epoch {@code epoch}'s example order ({@code batch} 0) and of each batch's dropout masks. */
    static long derivedSeed(long seed, int epoch, int batch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch * 0x100000001L + batch + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
