package dev.backprop.core.defaults;

/**
 * The one home of the SDK's defaults, shared by the YAML format ({@code docs/config.md}) and the Java
 * builders ({@code Trainer.builder}, {@code NetworkBuilder}): a setting left out means the same in both.
 */
public final class Defaults {
    /** Passes over the training data. */
    public static final int EPOCHS = 10;
    /** Examples per update (a mini-batch). */
    public static final int BATCH_SIZE = 32;
    /** Workers that each own a shard of the training rows (1: one worker, the unsharded algorithm). */
    public static final int SHARDS = 1;
    /** Whether the examples are visited in a new seeded order every epoch. */
    public static final boolean SHUFFLE = true;
    /** The seed of every random choice. */
    public static final long SEED = 0L;
    /** The loss plugin. */
    public static final String LOSS = "squared-error";
    /** The optimizer plugin. */
    public static final String OPTIMIZER = "sgd";
    /** The weight initializer plugin of a dense layer. */
    public static final String INITIALIZER = "xavier-uniform";
    /** Whether a dense layer has a bias unit. */
    public static final boolean BIAS = true;
    /** The L2 weight-decay coefficient (none). */
    public static final double WEIGHT_DECAY = 0.0;
    /** Early stopping: the metric watched. */
    public static final String EARLY_STOPPING_MONITOR = "validation-loss";
    /** Early stopping: epochs without improvement before stopping. */
    public static final int EARLY_STOPPING_PATIENCE = 5;
    /** Early stopping: the smallest change that counts as an improvement. */
    public static final double EARLY_STOPPING_MIN_DELTA = 0.0;
    /** Early stopping: whether the best epoch's weights are put back. */
    public static final boolean EARLY_STOPPING_RESTORE_BEST = true;
    /** Checkpoints: every this many epochs. */
    public static final int CHECKPOINT_EVERY = 1;
    /** Checkpoints: how many are kept, newest first. */
    public static final int CHECKPOINT_KEEP = 3;

    private Defaults() {
    }
}
