package dev.backprop.core.training;

import dev.backprop.api.BackpropException;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.LearningRateSchedule;
import dev.backprop.api.LossFunction;
import dev.backprop.api.LossFunctionProvider;
import dev.backprop.api.Optimizer;
import dev.backprop.api.OptimizerProvider;
import dev.backprop.api.PluginParameters;
import dev.backprop.api.TrainableParameter;
import dev.backprop.api.TrainingListener;
import dev.backprop.core.defaults.Defaults;
import dev.backprop.core.network.Backpropagation;
import dev.backprop.core.network.Network;
import dev.backprop.core.plugin.PluginRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link Network} by mini-batch gradient descent: for each batch, a forward and backward
 * pass ({@link Backpropagation}) writes the mean gradient over the batch, then the
 * {@link Optimizer} updates the weights. Batch size 1 is per-example descent (docs/derivation.md §7). The loop itself
 * is {@code TrainingLoop}; each concern around it (example order, the step of one batch, gradient hooks
 * such as weight decay, early stopping, snapshots) is a small class of this package.
 *
 * <p>With {@code shuffle(false)} examples are visited in the order given and batches are consecutive; a
 * last, smaller batch is averaged over its own size. With shuffling, the order of each epoch comes from
 * a generator derived from {@link Builder#seed(long)} and the epoch number, and dropout masks from the
 * seed, epoch and batch, so the same seed gives bit-identical weights, and a run continued from a
 * {@link TrainingState} ends exactly like an uninterrupted one.
 *
 * <p>Options: a learning-rate schedule, L2 weight decay, early stopping on a validation metric,
 * snapshots for checkpoints every N epochs, and a stop request polled after every batch.
 *
 * <p>Data-parallel training ({@link Builder#dataParallel}): each of {@code W} workers runs this trainer
 * with the same settings and data, computes the summed gradient of its slice of every batch (rows
 * {@code rows * rank / W} up to {@code rows * (rank + 1) / W}), and a {@link GradientExchange} gives it
 * the total of every worker's sums, added in rank order; it is divided once by the batch size, and the optimizer
 * steps as in a local run. Every worker then holds the same weights. With one worker the result is
 * bit-identical to a local run; with more it differs only by the order of floating-point additions.
 *
 * <p>A trainer's settings are immutable and each {@link #fit} creates a fresh optimizer, but one
 * trainer runs one {@code fit} at a time: a second concurrent call fails at once with an
 * {@link IllegalStateException}. The network must not be used by anything else while it is trained.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private static final int EVALUATION_BATCH = 256;

    private final Settings settings;
    private final AtomicBoolean running = new AtomicBoolean();
    /** The networks some fit is training now, by identity: two fits on one network would corrupt it. */
    private static final Set<Network> TRAINING = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    /**
     * Every setting of a trainer, fixed when it is built. {@code classification} is {@code null} when
     * accuracy is decided from the data of each call ({@link #measuresAccuracy}).
     */
    record Settings(LossFunction loss, String lossName, Supplier<Optimizer> optimizers, String optimizerName, int epochs, int batchSize, boolean shuffle, long seed,
            Boolean classification, int threads, List<TrainingListener> listeners, StepInspector inspector,
            LearningRateSchedule schedule, double weightDecay, EarlyStopping earlyStopping, int checkpointEvery,
            BooleanSupplier stopRequested, GradientExchange exchange, boolean sharded) {
    }

    private Trainer(Builder builder) {
        this.settings = new Settings(builder.loss, builder.lossName, builder.optimizers, builder.optimizerName, builder.epochs, builder.batchSize, builder.shuffle,
                builder.seed, builder.classification, builder.threads, List.copyOf(builder.listeners), builder.inspector,
                builder.schedule, builder.weightDecay, builder.earlyStopping, builder.checkpointEvery, builder.stopRequested,
                builder.exchange, builder.sharded);
    }

    /**
     * Looks inside each training step, for tracing tiny networks value by value. Called on the training
     * thread; must not change the network.
     */
    public interface StepInspector {
        /**
         * After the forward and backward pass of a batch, before the update.
         *
         * @param epoch the epoch, from 1
         * @param batch the batch, from 1
         * @param pass the pass, holding every layer's outputs and input gradients
         * @param rows the batch size
         * @param batchLoss the summed loss of the batch
         */
        void afterBackward(int epoch, int batch, Backpropagation pass, int rows, double batchLoss);

        /**
         * After the optimizer updated the weights.
         *
         * @param epoch the epoch, from 1
         * @param batch the batch, from 1
         * @param network the updated network
         */
        void afterUpdate(int epoch, int batch, Network network);
    }

    /**
     * @param registry where loss and optimizer names are resolved
     * @return a builder with the defaults of {@link Defaults}: {@code squared-error}, {@code sgd} with its
     *     default learning rate, 10 epochs, batch size 32, shuffling on, seed 0
     */
    public static Builder builder(PluginRegistry registry) {
        return new Builder(registry);
    }

    /** @return the loss function this trainer minimises */
    public LossFunction loss() {
        return settings.loss();
    }

    /**
     * @return the plugin name of the loss (what a model file records), or {@code null} when the loss was
     *     given as an object to {@link Builder#loss(LossFunction)}
     */
    public String lossName() {
        return settings.lossName();
    }

    /**
     * Whether {@link #fit} and {@link #evaluate} measure accuracy on {@code data}: as set by
     * {@link Builder#classification(boolean)}, or else whenever the targets are classes (see
     * {@link Dataset#hasClassTargets()}).
     *
     * @param data the examples
     * @return whether accuracy is measured on them
     */
    public boolean measuresAccuracy(Dataset data) {
        return settings.classification() != null ? settings.classification() : data.hasClassTargets();
    }

    /**
     * Trains without a validation set.
     *
     * @param network the network to train, changed in place
     * @param train the training examples
     * @return the metrics of every epoch
     */
    public TrainingHistory fit(Network network, Dataset train) {
        return fit(network, train, null);
    }

    /**
     * Trains, measuring the validation set after each epoch.
     *
     * @param network the network to train, changed in place
     * @param train the training examples
     * @param validation the validation examples, or {@code null}
     * @return the metrics of every epoch
     * @throws BackpropException ({@link ErrorCode#SHAPE_MISMATCH}) if the data does not fit the network,
     *     ({@link ErrorCode#TRAINING_DIVERGED}) if the loss becomes NaN or infinite
     */
    public TrainingHistory fit(Network network, Dataset train, Dataset validation) {
        return fit(network, train, validation, null);
    }

    /**
     * Trains, or continues a run from a snapshot: the network's weights, the optimizer's state, the
     * position and the history are taken from {@code resume}, and the result equals that of an
     * uninterrupted run with the same settings, bit for bit.
     *
     * <p>Interrupting the thread that runs {@code fit} stops it after the current batch, as
     * {@link Builder#stopWhen} does: the snapshot listeners get the state and the returned history is
     * {@link TrainingHistory#interrupted() interrupted}; the thread's interrupt flag stays set.
     *
     * @param network the network to train, changed in place (its layout must match the snapshot)
     * @param train the training examples
     * @param validation the validation examples, or {@code null}
     * @param resume the snapshot to continue from, or {@code null} to start afresh
     * @return the metrics of every epoch, the resumed ones included
     * @throws BackpropException ({@link ErrorCode#SHAPE_MISMATCH}) if the data does not fit the network,
     *     ({@link ErrorCode#TRAINING_DIVERGED}) if the loss becomes NaN or infinite
     */
    public TrainingHistory fit(Network network, Dataset train, Dataset validation, TrainingState resume) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(train, "train");
        checkShape(network, train, "training");
        if (validation != null) {
            checkShape(network, validation, "validation");
        }
        if (settings.earlyStopping() != null && validation == null) {
            throw new BackpropException(ErrorCode.TRAINING_INVALID, "early stopping monitors " + settings.earlyStopping().monitor()
                    + " but there is no validation data; give data.validation or data.validation-split.");
        }
        start(network);
        try {
            return new TrainingLoop(this, settings, network, train, train.size(), false, validation, resume).execute();
        } finally {
            finish(network);
        }
    }

    private void start(Network network) {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("This Trainer is already running fit() on another thread; "
                    + "a Trainer runs one fit at a time. Use one Trainer per thread.");
        }
        if (!TRAINING.add(network)) {
            running.set(false);
            throw new IllegalStateException("This network is already being trained by another fit(); two trainings of one "
                    + "network would overwrite each other's weights. Train a copy (Network.copy()) or wait for the other fit.");
        }
    }

    private void finish(Network network) {
        TRAINING.remove(network);
        running.set(false);
    }

    /**
     * One worker of a sharded run ({@link Builder#sharded}) that holds only its own shard of the training
     * rows: the {@link Shards#size(int) size} the plan gives its rank.
     *
     * @param network the network to train, changed in place
     * @param shard this worker's shard, in the order of the training rows
     * @param examples the number of training rows over all shards
     * @param validation the validation examples, or {@code null}
     * @param resume the snapshot to continue from, or {@code null} to start afresh
     * @return the metrics of every epoch
     */
    public TrainingHistory fitShard(Network network, Dataset shard, int examples, Dataset validation, TrainingState resume) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(shard, "shard");
        if (!settings.sharded()) {
            throw new IllegalStateException("fitShard is for a sharded trainer (Builder.sharded)");
        }
        checkShape(network, shard, "training");
        if (validation != null) {
            checkShape(network, validation, "validation");
        }
        start(network);
        try {
            return new TrainingLoop(this, settings, network, shard, examples, true, validation, resume).execute();
        } finally {
            finish(network);
        }
    }

    /**
     * Measures the mean loss, and the accuracy when {@link #measuresAccuracy} says so, without training.
     *
     * @param network the network
     * @param data the examples
     * @return the evaluation
     */
    public Evaluation evaluate(Network network, Dataset data) {
        Objects.requireNonNull(network, "network must not be null");
        Objects.requireNonNull(data, "data must not be null");
        checkShape(network, data, "evaluation");
        int n = data.size();
        int maxRows = Math.min(EVALUATION_BATCH, n);
        Backpropagation pass = new Backpropagation(network, maxRows);
        double[] x = new double[maxRows * data.inputSize()];
        double[] t = new double[maxRows * data.targetSize()];
        double lossSum = 0;
        long correct = 0;
        boolean classification = measuresAccuracy(data);
        for (int from = 0; from < n; from += maxRows) {
            int rows = Math.min(maxRows, n - from);
            for (int r = 0; r < rows; r++) {
                data.copyRowTo(from + r, r, x, t);
            }
            double[] out = pass.forward(x, rows);
            lossSum += settings.loss().loss(out, t, rows, network.outputSize());
            if (classification) {
                correct += Accuracy.correct(out, t, rows, network.outputSize());
            }
        }
        return new Evaluation(lossSum / n, classification ? (double) correct / n : Double.NaN, n);
    }

    private static void checkShape(Network network, Dataset data, String what) {
        if (data.inputSize() != network.inputSize()) {
            throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "The " + what + " data has " + data.inputSize()
                    + " input columns but the network expects " + network.inputSize() + " inputs.");
        }
        if (data.targetSize() != network.outputSize()) {
            throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "The " + what + " data has " + data.targetSize()
                    + " target columns but the network has " + network.outputSize() + " outputs.");
        }
    }

    /** Collects a trainer's settings. Every setting has a default, the same as in YAML ({@link Defaults}). */
    public static final class Builder {
        private final PluginRegistry registry;
        private LossFunction loss;
        private String lossName;
        private Supplier<Optimizer> optimizers;
        /** The optimizer's plugin name, or null when it was given as a supplier. */
        private String optimizerName;
        private int epochs = Defaults.EPOCHS;
        private int batchSize = Defaults.BATCH_SIZE;
        private boolean shuffle = Defaults.SHUFFLE;
        private long seed = Defaults.SEED;
        private Boolean classification;
        private int threads = Runtime.getRuntime().availableProcessors();
        private final List<TrainingListener> listeners = new ArrayList<>();
        private StepInspector inspector;
        private LearningRateSchedule schedule;
        private double weightDecay = Defaults.WEIGHT_DECAY;
        private EarlyStopping earlyStopping;
        private int checkpointEvery;
        private BooleanSupplier stopRequested = () -> false;
        private GradientExchange exchange;
        private boolean sharded;

        private Builder(PluginRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * @param name a loss plugin name
         * @return this builder
         */
        public Builder loss(String name) {
            return loss(name, Map.of());
        }

        /**
         * @param name a loss plugin name
         * @param parameters its parameters
         * @return this builder
         */
        public Builder loss(String name, Map<String, ?> parameters) {
            this.loss = registry.createLoss(Objects.requireNonNull(name, "name"), parameters);
            this.lossName = name;
            return this;
        }

        /**
         * @param loss a loss function instance
         * @return this builder
         */
        public Builder loss(LossFunction loss) {
            this.loss = Objects.requireNonNull(loss, "loss");
            this.lossName = null;
            return this;
        }

        /**
         * @param name an optimizer plugin name, with its default parameters
         * @return this builder
         */
        public Builder optimizer(String name) {
            return optimizer(name, Map.of());
        }

        /**
         * @param name an optimizer plugin name
         * @param parameters its parameters, for example {@code Map.of("learning-rate", 0.1)}
         * @return this builder
         * @throws dev.backprop.api.PluginParameterException at once if a parameter is wrong
         */
        public Builder optimizer(String name, Map<String, ?> parameters) {
            OptimizerProvider provider = registry.optimizer(Objects.requireNonNull(name, "name"));
            PluginParameters resolved = PluginParameters.resolve(provider, parameters);
            String plugin = "the optimizer plugin '" + name + "' (" + provider.getClass().getName() + ")";
            this.optimizers = () -> dev.backprop.core.plugin.PluginFaults.call(plugin, () -> provider.create(resolved));
            this.optimizerName = name;
            return this;
        }

        /**
         * @param optimizers creates a fresh optimizer for each {@link Trainer#fit} call
         * @return this builder
         */
        public Builder optimizer(Supplier<Optimizer> optimizers) {
            this.optimizers = Objects.requireNonNull(optimizers, "optimizers");
            this.optimizerName = null;
            return this;
        }

        /**
         * @param epochs the number of passes over the training data, at least 1
         * @return this builder
         */
        public Builder epochs(int epochs) {
            if (epochs < 1 || epochs == Integer.MAX_VALUE) {
                throw new BackpropException(ErrorCode.TRAINING_INVALID, "epochs must be at least 1 and below " + Integer.MAX_VALUE
                        + ", got " + epochs + ".");
            }
            this.epochs = epochs;
            return this;
        }

        /**
         * @param batchSize examples per update, at least 1 (1 = per-example stochastic descent)
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new BackpropException(ErrorCode.TRAINING_INVALID, "batch-size must be at least 1, got " + batchSize + ".");
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * @param shuffle whether to visit the examples in a new seeded random order each epoch
         * @return this builder
         */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /**
         * @param seed the seed of the shuffling order
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets whether to measure accuracy (see {@link Accuracy}). Without this call it is measured
         * whenever the data's targets are classes ({@link Dataset#hasClassTargets()}: one-hot rows, or a
         * single 0/1 column), so a classifier never reports accuracy NaN for want of a flag.
         *
         * @param classification whether to measure accuracy
         * @return this builder
         */
        public Builder classification(boolean classification) {
            this.classification = classification;
            return this;
        }

        /**
         * @param threads how many threads the layers of a large enough batch are split across (default:
         *     the number of processors; more than the processors are not used); the trained weights are
         *     bit-identical for any number
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new BackpropException(ErrorCode.TRAINING_INVALID, "threads must be at least 1, got " + threads + ".");
            }
            this.threads = threads;
            return this;
        }

        /**
         * @param listener receives the events of every run
         * @return this builder
         */
        public Builder listener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @param inspector sees every step's values, or {@code null} for none
         * @return this builder
         */
        public Builder inspector(StepInspector inspector) {
            this.inspector = inspector;
            return this;
        }

        /**
         * @param schedule the learning-rate schedule, or {@code null} for a constant rate
         * @return this builder
         */
        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /**
         * @param name a schedule plugin name
         * @param parameters its parameters
         * @return this builder
         */
        public Builder schedule(String name, Map<String, ?> parameters) {
            var provider = registry.schedule(Objects.requireNonNull(name, "name"));
            this.schedule = dev.backprop.core.plugin.PluginFaults.call("the learning-rate schedule plugin '" + name + "' ("
                    + provider.getClass().getName() + ")", () -> provider.create(parameters));
            return this;
        }

        /**
         * @param name a schedule plugin name, with its default parameters
         * @return this builder
         */
        public Builder schedule(String name) {
            return schedule(name, Map.of());
        }

        /**
         * @param weightDecay the L2 coefficient {@code lambda}: {@code lambda * w} is added to the gradient of
         *     every weight (not the biases), which minimises {@code E + lambda/2 |w|^2}; 0 (the default) for none
         * @return this builder
         */
        public Builder weightDecay(double weightDecay) {
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new BackpropException(ErrorCode.TRAINING_INVALID, "weight-decay must be a finite value >= 0, got " + weightDecay + ".");
            }
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * @param earlyStopping when to stop early, or {@code null} for never
         * @return this builder
         */
        public Builder earlyStopping(EarlyStopping earlyStopping) {
            this.earlyStopping = earlyStopping;
            return this;
        }

        /**
         * @param every snapshot the {@link SnapshotListener}s every this many epochs and at the end (0: only
         *     when the run stops on request)
         * @return this builder
         */
        public Builder checkpointEvery(int every) {
            if (every < 0) {
                throw new BackpropException(ErrorCode.TRAINING_INVALID, "checkpoint every must be >= 0, got " + every + ".");
            }
            this.checkpointEvery = every;
            return this;
        }

        /**
         * @param stopRequested polled after every batch; when it answers {@code true} the run stops there,
         *     snapshots its state for the {@link SnapshotListener}s and returns an interrupted history
         * @return this builder
         */
        public Builder stopWhen(BooleanSupplier stopRequested) {
            this.stopRequested = Objects.requireNonNull(stopRequested, "stopRequested");
            return this;
        }

        /**
         * Makes this trainer one worker of synchronous data-parallel training (see the class comment). Every
         * worker must be given the same settings, network and data.
         *
         * @param exchange how this worker shares gradient sums with the others, or {@code null} to train alone
         * @return this builder
         */
        public Builder dataParallel(GradientExchange exchange) {
            this.exchange = exchange;
            this.sharded = false;
            return this;
        }

        /**
         * Makes this trainer one worker of sharded data-parallel training: worker {@code r} owns shard
         * {@code r} of the training rows ({@link Shards}), visits it in its own seeded order each epoch, and
         * contributes its next rows to every global batch; the sums are exchanged and divided once by the
         * batch size as in {@link #dataParallel}. Every worker must be given the same settings and network.
         *
         * @param exchange how this worker shares gradient sums with the others
         * @return this builder
         */
        public Builder sharded(GradientExchange exchange) {
            this.exchange = Objects.requireNonNull(exchange, "exchange");
            this.sharded = true;
            return this;
        }

        /** @return the trainer */
        public Trainer build() {
            if (loss == null) {
                loss(Defaults.LOSS);
            }
            if (optimizers == null) {
                optimizer(Defaults.OPTIMIZER, Map.of());
            }
            return new Trainer(this);
        }
    }
}
