package dev.backprop.core.training;

/**
 * How sharded data-parallel training ({@code training.shards: N}) splits the training rows among {@code N}
 * workers, so that every worker, and every run with the same {@code N}, computes the same plan.
 *
 * <p>A batch of {@code R} rows is shared as data-parallel batches always are: worker {@code r} contributes
 * {@link #share(int, int, int) share(R, N, r)} {@code = floor(R(r+1)/N) - floor(Rr/N)} rows, at positions
 * {@code floor(Rr/N)} onwards of the global batch (so when {@code B} is not divisible by {@code N} the
 * later ranks take one row more). The epoch has today's batches: {@code S = ceil(n/B)} of them, each of
 * {@code B} rows but the last of {@code n - (S-1)B}. Shard {@code r} is then exactly what worker {@code r}
 * consumes in one epoch, {@code (S-1)·share(B, N, r) + share(last, N, r)} rows, and the shards are
 * contiguous ranges of the training rows (after the seeded validation/test split), shard 0 first.
 * Shards may differ in size by up to {@code S} rows; every global batch still has the unsharded size.
 */
public final class Shards {
    private final int examples;
    private final int batchSize;
    private final int shards;

    /**
     * @param examples the number of training rows, at least 1
     * @param batchSize the configured batch size, at least 1 (a larger one than {@code examples} means all of them)
     * @param shards the number of workers, at least 1
     */
    public Shards(int examples, int batchSize, int shards) {
        if (examples < 1 || batchSize < 1 || shards < 1) {
            throw new IllegalArgumentException("examples, batch size and shards must be at least 1, got " + examples + ", "
                    + batchSize + ", " + shards);
        }
        this.examples = examples;
        this.batchSize = Math.min(batchSize, examples);
        this.shards = shards;
    }

    /**
     * @param batchRows the rows of a batch
     * @param workers the number of workers
     * @param rank a worker
     * @return how many of the batch's rows that worker computes
     */
    public static int share(int batchRows, int workers, int rank) {
        return first(batchRows, workers, rank + 1) - first(batchRows, workers, rank);
    }

    /** @return the position in the global batch of worker {@code rank}'s first row */
    static int first(int batchRows, int workers, int rank) {
        return (int) ((long) batchRows * rank / workers);
    }

    /** @return the number of workers */
    public int count() {
        return shards;
    }

    /** @return the number of training rows, over all shards */
    public int examples() {
        return examples;
    }

    /** @return the rows of every batch but the last: the configured batch size, or all the rows if there are fewer */
    public int batchSize() {
        return batchSize;
    }

    /** @return the batches of one epoch */
    public int batches() {
        return (examples + batchSize - 1) / batchSize;
    }

    private int lastBatchRows() {
        return examples - (batches() - 1) * batchSize;
    }

    /**
     * @param rank a worker
     * @return the number of rows in its shard
     */
    public int size(int rank) {
        return (batches() - 1) * share(batchSize, shards, rank) + share(lastBatchRows(), shards, rank);
    }

    /**
     * @param rank a worker
     * @return the index of its shard's first row among the training rows
     */
    public int offset(int rank) {
        int offset = 0;
        for (int r = 0; r < rank; r++) {
            offset += size(r);
        }
        return offset;
    }

    /**
     * @param rank a worker
     * @param batch a batch of the epoch, from 0
     * @return the position in the worker's shard order of its first row of that batch
     */
    int position(int rank, int batch) {
        return batch * share(batchSize, shards, rank);
    }
}
