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
import dev.backprop.core.network.Backpropagation;
import dev.backprop.core.network.Network;
import dev.backprop.core.plugin.PluginRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
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

    private final LossFunction loss;
    private final String lossName;
    private final Supplier<Optimizer> optimizers;
    private final int epochs;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    /** Whether to measure accuracy; {@code null}: decided from the data of each call (see {@link Builder#classification}). */
    private final Boolean classification;
    private final int threads;
    private final List<TrainingListener> listeners;
    private final StepInspector inspector;
    private final LearningRateSchedule schedule;
    private final double weightDecay;
    private final EarlyStopping earlyStopping;
    private final int checkpointEvery;
    private final BooleanSupplier stopRequested;
    private final GradientExchange exchange;
    private final AtomicBoolean running = new AtomicBoolean();

    private Trainer(Builder builder) {
        this.loss = builder.loss;
        this.lossName = builder.lossName;
        this.optimizers = builder.optimizers;
        this.epochs = builder.epochs;
        this.batchSize = builder.batchSize;
        this.shuffle = builder.shuffle;
        this.seed = builder.seed;
        this.classification = builder.classification;
        this.threads = builder.threads;
        this.listeners = List.copyOf(builder.listeners);
        this.inspector = builder.inspector;
        this.schedule = builder.schedule;
        this.weightDecay = builder.weightDecay;
        this.earlyStopping = builder.earlyStopping;
        this.checkpointEvery = builder.checkpointEvery;
        this.stopRequested = builder.stopRequested;
        this.exchange = builder.exchange;
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
     * @return the plugin name of the loss (what a model file records), or {@code null} when the loss was
     *     given as an object to {@link Builder#loss(LossFunction)}
     */
    public String lossName() {
        return lossName;
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
        return classification != null ? classification : data.hasClassTargets();
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
        if (earlyStopping != null && validation == null) {
            throw new BackpropException(ErrorCode.TRAINING_INVALID, "early stopping monitors " + earlyStopping.monitor()
                    + " but there is no validation data; give data.validation or data.validation-split.");
        }
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("This Trainer is already running fit() on another thread; "
                    + "a Trainer runs one fit at a time. Use one Trainer per thread.");
        }
        try {
            return new Run(network, train, validation, resume).execute();
        } finally {
            running.set(false);
        }
    }

    /** The seed of epoch {@code epoch}'s example order ({@code batch} 0) and of each batch's dropout masks. */
    static long derivedSeed(long seed, int epoch, int batch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch * 0x100000001L + batch + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One call of fit: the loop and its bookkeeping. */
    private final class Run {
        private final Network network;
        private final Dataset train;
        private final Dataset validation;
        private final boolean classification;
        private final int n;
        private final int capacity;
        private final Backpropagation pass;
        private final Optimizer optimizer;
        private final double[] x;
        private final double[] t;
        private final int[] order;
        /** Data-parallel only: what this worker sends each step: its gradient sums, then its loss and correct count. */
        private final double[] shared;
        private final List<EpochMetrics> history = new ArrayList<>();
        private final List<SnapshotListener> snapshots = new ArrayList<>();
        private int startEpoch = 1;
        private int startBatch;
        private double partialLoss;
        private long partialCorrect;
        private double bestValue = Double.NaN;
        private int bestEpoch;
        private int sinceBest;
        private List<double[]> bestWeights = List.of();

        Run(Network network, Dataset train, Dataset validation, TrainingState resume) {
            this.network = network;
            this.train = train;
            this.validation = validation;
            this.classification = measuresAccuracy(train);
            this.n = train.size();
            this.capacity = Math.min(batchSize, n);
            // A data-parallel worker computes at most its share of a batch at a time.
            int rowsPerPass = exchange == null ? capacity : (capacity + exchange.workers() - 1) / exchange.workers();
            this.pass = new Backpropagation(network, rowsPerPass, threads);
            this.optimizer = Objects.requireNonNull(optimizers.get(), "the optimizer supplier returned null");
            this.x = new double[rowsPerPass * train.inputSize()];
            this.t = new double[rowsPerPass * train.targetSize()];
            this.order = new int[n];
            this.shared = exchange == null ? null : new double[Math.toIntExact(network.parameterCount()) + 2];
            for (TrainingListener listener : listeners) {
                if (listener instanceof SnapshotListener snapshot) {
                    snapshots.add(snapshot);
                }
            }
            optimizer.bind(network.parameters());
            if (resume != null) {
                restore(resume);
            }
        }

        private void restore(TrainingState state) {
            List<TrainableParameter> parameters = network.parameters();
            if (state.weights().size() != parameters.size()) {
                throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "The snapshot has " + state.weights().size()
                        + " parameter blocks but the network has " + parameters.size() + ".");
            }
            for (int p = 0; p < parameters.size(); p++) {
                double[] saved = state.weights().get(p);
                double[] live = parameters.get(p).values();
                if (saved.length != live.length) {
                    throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "The snapshot's " + parameters.get(p).name() + " has "
                            + saved.length + " values but the network's has " + live.length + ".");
                }
                System.arraycopy(saved, 0, live, 0, live.length);
            }
            optimizer.restoreState(state.optimizerState());
            history.addAll(state.history());
            startEpoch = state.epoch() + 1;
            startBatch = state.batch();
            partialLoss = state.partialLoss();
            partialCorrect = state.partialCorrect();
            bestValue = state.bestValue();
            bestEpoch = state.bestEpoch();
            sinceBest = state.epochsWithoutImprovement();
            bestWeights = state.bestWeights();
        }

        TrainingHistory execute() {
            if (exchange == null) {
                return loop();
            }
            try {
                return loop();
            } catch (RuntimeException | Error e) {
                exchange.abort(e);
                throw e;
            }
        }

        private TrainingHistory loop() {
            listeners.forEach(l -> l.onTrainingStart(epochs, n, batchSize));
            boolean stoppedEarly = false;
            int batches = (n + capacity - 1) / capacity;
            for (int epoch = startEpoch; epoch <= epochs && !stoppedEarly; epoch++) {
                long start = System.nanoTime();
                final int current = epoch;
                listeners.forEach(l -> l.onEpochStart(current));
                if (schedule != null) {
                    optimizer.setLearningRateScale(schedule.factor(epoch, epochs));
                }
                orderFor(epoch);
                boolean resumed = epoch == startEpoch;
                double lossSum = resumed ? partialLoss : 0;
                long correct = resumed ? partialCorrect : 0;
                for (int batch = (resumed ? startBatch : 0) + 1; batch <= batches; batch++) {
                    int from = (batch - 1) * capacity;
                    int rows = Math.min(capacity, n - from);
                    double batchLoss;
                    if (exchange == null) {
                        for (int r = 0; r < rows; r++) {
                            train.copyRowTo(order[from + r], r, x, t);
                        }
                        batchLoss = pass.train(x, t, rows, loss, derivedSeed(seed, epoch, batch));
                        if (classification) {
                            correct += Accuracy.correct(pass.output(), t, rows, network.outputSize());
                        }
                    } else {
                        double[] total = exchangedStep(from, rows, derivedSeed(seed, epoch, batch));
                        batchLoss = total[total.length - 2];
                        correct += (long) total[total.length - 1];
                    }
                    if (!Double.isFinite(batchLoss)) {
                        String where = pass.firstNonFiniteLayer();
                        throw new BackpropException(ErrorCode.TRAINING_DIVERGED, "Training diverged: the loss became " + batchLoss
                                + " in epoch " + epoch + ", batch " + batch + (where.isEmpty() ? "" : "; " + where)
                                + ". Try a smaller learning rate.");
                    }
                    if (weightDecay > 0) {
                        addWeightDecay();
                    }
                    if (inspector != null) {
                        inspector.afterBackward(epoch, batch, pass, rows, batchLoss);
                    }
                    optimizer.step();
                    if (inspector != null) {
                        inspector.afterUpdate(epoch, batch, network);
                    }
                    lossSum += batchLoss;
                    for (int l = 0; l < listeners.size(); l++) {
                        listeners.get(l).onBatchEnd(epoch, batch, batchLoss / rows);
                    }
                    if (batch < batches && stopRequested.getAsBoolean()) {
                        snapshot(state(epoch - 1, batch, lossSum, correct));
                        return new TrainingHistory(history, bestEpoch, false, true);
                    }
                }
                EpochMetrics metrics = finishEpoch(epoch, start, lossSum, correct);
                stoppedEarly = earlyStopping != null && sinceBest >= earlyStopping.patience();
                boolean interrupted = epoch < epochs && !stoppedEarly && stopRequested.getAsBoolean();
                boolean last = epoch == epochs || stoppedEarly;
                if (last && earlyStopping != null && earlyStopping.restoreBest() && !bestWeights.isEmpty()) {
                    restoreBestWeights();
                }
                if (interrupted || checkpointEvery > 0 && (last || epoch % checkpointEvery == 0)) {
                    snapshot(state(epoch, 0, 0, 0));
                }
                listeners.forEach(l -> l.onEpochEnd(metrics));
                if (interrupted) {
                    return new TrainingHistory(history, bestEpoch, false, true);
                }
            }
            listeners.forEach(TrainingListener::onTrainingEnd);
            return new TrainingHistory(history, bestEpoch, stoppedEarly, false);
        }

        /**
         * One data-parallel step: this worker's slice of the batch, the exchange, and the combined mean
         * gradient written into the parameters.
         *
         * @return the totals over all workers: the gradient sums, then the batch's loss and correct count
         */
        private double[] exchangedStep(int from, int rows, long dropoutSeed) {
            int workers = exchange.workers();
            int rank = exchange.rank();
            int first = (int) ((long) rows * rank / workers);
            int slice = (int) ((long) rows * (rank + 1) / workers) - first;
            int count = shared.length - 2;
            if (slice > 0) {
                for (int r = 0; r < slice; r++) {
                    train.copyRowTo(order[from + first + r], r, x, t);
                }
                shared[count] = pass.trainSum(x, t, slice, loss, dropoutSeed, first);
                shared[count + 1] = classification ? Accuracy.correct(pass.output(), t, slice, network.outputSize()) : 0;
                int offset = 0;
                for (TrainableParameter p : network.parameters()) {
                    System.arraycopy(p.gradient(), 0, shared, offset, p.size());
                    offset += p.size();
                }
            } else {
                java.util.Arrays.fill(shared, 0.0); // more workers than rows: this one adds nothing
            }
            double[] total = exchange.sumInRankOrder(shared);
            if (total.length != shared.length) {
                throw new IllegalStateException("the exchange returned " + total.length + " values, expected " + shared.length);
            }
            int offset = 0;
            for (TrainableParameter p : network.parameters()) {
                System.arraycopy(total, offset, p.gradient(), 0, p.size());
                offset += p.size();
            }
            Backpropagation.divideGradients(network.parameters(), rows);
            return total;
        }

        private void snapshot(TrainingState state) {
            for (SnapshotListener listener : snapshots) {
                listener.onSnapshot(state);
            }
        }

        /** The example order of an epoch: the identity, shuffled by a generator derived from the seed and the epoch. */
        private void orderFor(int epoch) {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            if (shuffle) {
                SplittableRandom random = new SplittableRandom(derivedSeed(seed, epoch, 0));
                for (int i = n - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int swap = order[i];
                    order[i] = order[j];
                    order[j] = swap;
                }
            }
        }

        /** L2 regularisation: adds {@code weightDecay * w} to the gradient of every weight (biases excluded). */
        private void addWeightDecay() {
            for (TrainableParameter p : network.parameters()) {
                if (p.name().endsWith(".weights")) {
                    double[] w = p.values();
                    double[] g = p.gradient();
                    for (int i = 0; i < w.length; i++) {
                        g[i] += weightDecay * w[i];
                    }
                }
            }
        }

        private EpochMetrics finishEpoch(int epoch, long start, double lossSum, long correct) {
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
            if (earlyStopping != null) {
                double value = earlyStopping.lowerIsBetter() ? validationLoss : validationAccuracy;
                if (earlyStopping.improves(value, bestValue)) {
                    bestValue = value;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    if (earlyStopping.restoreBest()) {
                        bestWeights = copyWeights();
                    }
                } else {
                    sinceBest++;
                }
            }
            return metrics;
        }

        private void restoreBestWeights() {
            List<TrainableParameter> parameters = network.parameters();
            for (int p = 0; p < parameters.size(); p++) {
                System.arraycopy(bestWeights.get(p), 0, parameters.get(p).values(), 0, bestWeights.get(p).length);
            }
        }

        private List<double[]> copyWeights() {
            List<double[]> copy = new ArrayList<>();
            for (TrainableParameter p : network.parameters()) {
                copy.add(p.values().clone());
            }
            return copy;
        }

        private TrainingState state(int epoch, int batch, double lossSum, long correct) {
            return new TrainingState(epoch, batch, lossSum, correct, copyWeights(), optimizer.state(), history, bestValue,
                    bestEpoch, sinceBest, bestWeights);
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
        checkShape(network, data, "evaluation");
        int n = data.size();
        int capacity = Math.min(EVALUATION_BATCH, n);
        Backpropagation pass = new Backpropagation(network, capacity);
        double[] x = new double[capacity * data.inputSize()];
        double[] t = new double[capacity * data.targetSize()];
        double lossSum = 0;
        long correct = 0;
        boolean classification = measuresAccuracy(data);
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
        private String lossName;
        private Supplier<Optimizer> optimizers;
        private int epochs = 1;
        private int batchSize = 1;
        private boolean shuffle = true;
        private long seed;
        private Boolean classification;
        private int threads = Runtime.getRuntime().availableProcessors();
        private final List<TrainingListener> listeners = new ArrayList<>();
        private StepInspector inspector;
        private LearningRateSchedule schedule;
        private double weightDecay;
        private EarlyStopping earlyStopping;
        private int checkpointEvery;
        private BooleanSupplier stopRequested = () -> false;
        private GradientExchange exchange;

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
         *     the number of processors); the trained weights are bit-identical for any number
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
            this.schedule = registry.schedule(Objects.requireNonNull(name, "name")).create(parameters);
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
