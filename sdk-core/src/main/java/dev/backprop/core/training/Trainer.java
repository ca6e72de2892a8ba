package dev.backprop.core.training;

import dev.backprop.api.BackpropException;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.LossFunction;
import dev.backprop.api.LossFunctionProvider;
import dev.backprop.api.Optimizer;
import dev.backprop.api.OptimizerProvider;
import dev.backprop.api.PluginParameters;
import dev.backprop.api.TrainingListener;
import dev.backprop.core.network.Backpropagation;
import dev.backprop.core.network.Network;
import dev.backprop.core.plugin.PluginRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link Network} by mini-batch gradient descent: for each batch, a forward and backward
 * pass ({@link Backpropagation}) writes the mean gradient over the batch, then the
 * {@link Optimizer} updates the weights. Batch size 1 is seed 001's per-example stochastic descent.
 *
 * <p>With {@code shuffle(false)} examples are visited in the order given and batches are consecutive; a
 * last, smaller batch is averaged over its own size. With shuffling, the order of each epoch comes from
 * a generator seeded with {@link Builder#seed(long)}, so the same seed gives bit-identical weights.
 *
 * <p>A trainer's settings are immutable and each {@link #fit} creates a fresh optimizer, but one
 * trainer runs one {@code fit} at a time: a second concurrent call fails at once with an
 * {@link IllegalStateException}. The network must not be used by anything else while it is trained.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private static final int EVALUATION_BATCH = 256;

    private final LossFunction loss;
    private final Supplier<Optimizer> optimizers;
    private final int epochs;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean classification;
    private final List<TrainingListener> listeners;
    private final StepInspector inspector;
    private final AtomicBoolean running = new AtomicBoolean();

    private Trainer(Builder builder) {
        this.loss = builder.loss;
        this.optimizers = builder.optimizers;
        this.epochs = builder.epochs;
        this.batchSize = builder.batchSize;
        this.shuffle = builder.shuffle;
        this.seed = builder.seed;
        this.classification = builder.classification;
        this.listeners = List.copyOf(builder.listeners);
        this.inspector = builder.inspector;
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
     * @return a builder with the defaults: {@code squared-error}, {@code sgd} with its default
     *     learning rate, 1 epoch, batch size 1, shuffling on, seed 0
     */
    public static Builder builder(PluginRegistry registry) {
        return new Builder(registry);
    }

    /** @return the loss function this trainer minimises */
    public LossFunction loss() {
        return loss;
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
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(train, "train");
        checkShape(network, train, "training");
        if (validation != null) {
            checkShape(network, validation, "validation");
        }
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("This Trainer is already running fit() on another thread; "
                    + "a Trainer runs one fit at a time. Use one Trainer per thread.");
        }
        try {
            return run(network, train, validation);
        } finally {
            running.set(false);
        }
    }

    private TrainingHistory run(Network network, Dataset train, Dataset validation) {
        int n = train.size();
        int capacity = Math.min(batchSize, n);
        Backpropagation pass = new Backpropagation(network, capacity);
        Optimizer optimizer = Objects.requireNonNull(optimizers.get(), "the optimizer supplier returned null");
        optimizer.bind(network.parameters());
        double[] x = new double[capacity * train.inputSize()];
        double[] t = new double[capacity * train.targetSize()];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<EpochMetrics> history = new ArrayList<>(epochs);
        listeners.forEach(l -> l.onTrainingStart(epochs, n, batchSize));
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            final int current = epoch;
            listeners.forEach(l -> l.onEpochStart(current));
            if (shuffle) {
                shuffle(order, random);
            }
            double lossSum = 0;
            long correct = 0;
            int batch = 0;
            for (int from = 0; from < n; from += capacity) {
                int rows = Math.min(capacity, n - from);
                for (int r = 0; r < rows; r++) {
                    train.copyRowTo(order[from + r], r, x, t);
                }
                double batchLoss = pass.run(x, t, rows, loss);
                batch++;
                if (!Double.isFinite(batchLoss)) {
                    throw new BackpropException(ErrorCode.TRAINING_DIVERGED, "Training diverged: the loss became " + batchLoss
                            + " in epoch " + epoch + ", batch " + batch + ". Try a smaller learning rate.");
                }
                if (classification) {
                    correct += Accuracy.correct(pass.output(), t, rows, network.outputSize());
                }
                if (inspector != null) {
                    inspector.afterBackward(epoch, batch, pass, rows, batchLoss);
                }
                optimizer.step();
                if (inspector != null) {
                    inspector.afterUpdate(epoch, batch, network);
                }
                lossSum += batchLoss;
                final int b = batch;
                final double mean = batchLoss / rows;
                listeners.forEach(l -> l.onBatchEnd(current, b, mean));
            }
            double validationLoss = Double.NaN;
            double validationAccuracy = Double.NaN;
            if (validation != null) {
                Evaluation evaluation = evaluate(network, validation);
                validationLoss = evaluation.meanLoss();
                validationAccuracy = evaluation.accuracy();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochMetrics metrics = new EpochMetrics(epoch, lossSum / n, validationLoss,
                    classification ? (double) correct / n : Double.NaN, validationAccuracy, seconds, n);
            history.add(metrics);
            LOG.debug("epoch {}: {}", epoch, metrics);
            listeners.forEach(l -> l.onEpochEnd(metrics));
        }
        listeners.forEach(TrainingListener::onTrainingEnd);
        return new TrainingHistory(history);
    }

    /**
     * Measures the mean loss (and accuracy, if this trainer does classification) without training.
     *
     * @param network the network
     * @param data the examples
     * @return the evaluation
     */
    public Evaluation evaluate(Network network, Dataset data) {
        checkShape(network, data, "evaluation");
        int n = data.size();
        int capacity = Math.min(EVALUATION_BATCH, n);
        Backpropagation pass = new Backpropagation(network, capacity);
        double[] x = new double[capacity * data.inputSize()];
        double[] t = new double[capacity * data.targetSize()];
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < n; from += capacity) {
            int rows = Math.min(capacity, n - from);
            for (int r = 0; r < rows; r++) {
                data.copyRowTo(from + r, r, x, t);
            }
            double[] out = pass.forward(x, rows);
            lossSum += loss.loss(out, t, rows, network.outputSize());
            if (classification) {
                correct += Accuracy.correct(out, t, rows, network.outputSize());
            }
        }
        return new Evaluation(lossSum / n, classification ? (double) correct / n : Double.NaN, n);
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
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

    /** Collects a trainer's settings. Every setting has a default. */
    public static final class Builder {
        /** The default optimizer. */
        public static final String DEFAULT_OPTIMIZER = "sgd";
        /** The default loss. */
        public static final String DEFAULT_LOSS = "squared-error";

        private final PluginRegistry registry;
        private LossFunction loss;
        private Supplier<Optimizer> optimizers;
        private int epochs = 1;
        private int batchSize = 1;
        private boolean shuffle = true;
        private long seed;
        private boolean classification;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private StepInspector inspector;

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
            this.loss = registry.createLoss(name, parameters);
            return this;
        }

        /**
         * @param loss a loss function instance
         * @return this builder
         */
        public Builder loss(LossFunction loss) {
            this.loss = Objects.requireNonNull(loss, "loss");
            return this;
        }

        /**
         * @param name an optimizer plugin name
         * @param parameters its parameters, for example {@code Map.of("learning-rate", 0.1)}
         * @return this builder
         * @throws dev.backprop.api.PluginParameterException at once if a parameter is wrong
         */
        public Builder optimizer(String name, Map<String, ?> parameters) {
            OptimizerProvider provider = registry.optimizer(name);
            PluginParameters resolved = PluginParameters.resolve(provider, parameters);
            this.optimizers = () -> provider.create(resolved);
            return this;
        }

        /**
         * @param optimizers creates a fresh optimizer for each {@link Trainer#fit} call
         * @return this builder
         */
        public Builder optimizer(Supplier<Optimizer> optimizers) {
            this.optimizers = Objects.requireNonNull(optimizers, "optimizers");
            return this;
        }

        /**
         * @param epochs the number of passes over the training data, at least 1
         * @return this builder
         */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new BackpropException(ErrorCode.TRAINING_INVALID, "epochs must be at least 1, got " + epochs + ".");
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
         * @param classification whether to measure accuracy (see {@link Accuracy})
         * @return this builder
         */
        public Builder classification(boolean classification) {
            this.classification = classification;
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

        /** @return the trainer */
        public Trainer build() {
            if (loss == null) {
                loss(DEFAULT_LOSS);
            }
            if (optimizers == null) {
                optimizer(DEFAULT_OPTIMIZER, Map.of());
            }
            return new Trainer(this);
        }
    }
}
