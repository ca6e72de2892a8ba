package dev.backprop.core.training;

import dev.backprop.api.BackpropException;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.Optimizer;
import dev.backprop.api.TrainableParameter;
import dev.backprop.api.TrainingListener;
import dev.backprop.core.network.Backpropagation;
import dev.backprop.core.network.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of {@link Trainer#fit}: epochs of batches, each batch a list of steps (the gradient, the
 * divergence check, the gradient hooks, the optimizer), each epoch closed by the validation, early
 * stopping and snapshots. Resuming restores the position counters ({@code startEpoch}, {@code startBatch}
 * and the partial sums), so a continued run ends exactly like an uninterrupted one.
 */
final class TrainingLoop {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final Trainer trainer;
    private final Trainer.Settings settings;
    private final Network network;
    private final List<TrainableParameter> parameters;
    private final Dataset train;
    private final Dataset validation;
    private final int examples;
    /** Whether accuracy is measured, decided once from the settings or the training data. */
    private final boolean classification;
    /** Examples per update: the configured batch size, or all the examples if there are fewer. */
    private final int batchSize;
    private final Backpropagation pass;
    private final BatchStep step;
    private final Optimizer optimizer;
    /** The optimizer as errors name it. */
    private final String optimizerLabel;
    private final ExampleOrder order;
    private final List<GradientHook> hooks = new ArrayList<>();
    private final EarlyStopper earlyStopper;
    private final List<SnapshotListener> snapshots = new ArrayList<>();
    private final List<EpochMetrics> history = new ArrayList<>();
    private int startEpoch = 1;
    private int startBatch;
    private double partialLoss;
    private long partialCorrect;
    /** The current epoch's summed loss and correct count, so far. */
    private double epochLoss;
    private long epochCorrect;

    /**
     * @param train the training rows: all of them, or (with {@code shardOnly}) this worker's shard alone
     * @param examples the number of training rows over all workers
     * @param shardOnly whether {@code train} holds only this worker's shard of a sharded run
     */
    TrainingLoop(Trainer trainer, Trainer.Settings settings, Network network, Dataset train, int examples, boolean shardOnly,
            Dataset validation, TrainingState resume) {
        this.trainer = trainer;
        this.settings = settings;
        this.network = network;
        this.parameters = network.parameters();
        this.train = train;
        this.validation = validation;
        this.examples = examples;
        this.classification = trainer.measuresAccuracy(train);
        this.batchSize = Math.min(settings.batchSize(), examples);
        GradientExchange exchange = settings.exchange();
        if (exchange == null) {
            this.pass = new Backpropagation(network, batchSize, settings.threads());
            this.step = new LocalStep(pass, train, settings.loss(), classification);
        } else {
            this.pass = new Backpropagation(network, ExchangedStep.sliceRows(batchSize, exchange), settings.threads());
            Shards shards = settings.sharded() ? new Shards(examples, settings.batchSize(), exchange.workers()) : null;
            int shardBase = 0;
            if (shards != null && shardOnly) {
                if (train.size() != shards.size(exchange.rank())) {
                    throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "worker " + exchange.rank() + " was given " + train.size()
                            + " rows but its shard of " + examples + " rows in " + exchange.workers() + " shards has "
                            + shards.size(exchange.rank()) + ".");
                }
            } else if (shards != null) {
                shardBase = shards.offset(exchange.rank());
            }
            this.step = new ExchangedStep(pass, train, settings.loss(), classification, exchange,
                    settings.stopRequested(), shards, shardBase, settings.shuffle(), settings.seed());
        }
        this.optimizer = Objects.requireNonNull(settings.optimizers().get(), "the optimizer supplier returned null");
        this.optimizerLabel = optimizerLabel(settings.optimizerName(), optimizer);
        this.order = settings.sharded() ? null : new ExampleOrder(examples, settings.shuffle(), settings.seed());
        if (settings.weightDecay() > 0) {
            hooks.add(GradientHook.weightDecay(settings.weightDecay()));
        }
        this.earlyStopper = new EarlyStopper(settings.earlyStopping());
        for (TrainingListener listener : settings.listeners()) {
            if (listener instanceof SnapshotListener snapshot) {
                snapshots.add(snapshot);
            }
        }
        plugin(optimizerLabel, "bind", () -> {
            optimizer.bind(parameters);
            return null;
        });
        if (resume != null) {
            restore(resume);
        }
    }

    private void restore(TrainingState state) {
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
        earlyStopper.restore(state);
    }

    TrainingHistory execute() {
        GradientExchange exchange = settings.exchange();
        try {
            return epochs();
        } catch (RuntimeException | Error e) {
            if (exchange != null) {
                exchange.abort(e); // the other workers stop too, with this cause
            }
            throw e;
        }
    }

    private TrainingHistory epochs() {
        List<TrainingListener> listeners = settings.listeners();
        int epochs = settings.epochs();
        listeners.forEach(l -> l.onTrainingStart(epochs, examples, settings.batchSize()));
        if (startEpoch > 1 && startBatch == 0 && earlyStopper.shouldStop()) {
            // resumed from the checkpoint at which early stopping ended the run (its best weights already restored)
            listeners.forEach(TrainingListener::onTrainingEnd);
            return new TrainingHistory(history, earlyStopper.bestEpoch(), true, false);
        }
        for (int epoch = startEpoch; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            final int current = epoch;
            listeners.forEach(l -> l.onEpochStart(current));
            if (settings.schedule() != null) {
                double factor = plugin("the learning-rate schedule " + settings.schedule().getClass().getName(), "factor",
                        () -> settings.schedule().factor(current, epochs));
                plugin(optimizerLabel, "setLearningRateScale", () -> {
                    optimizer.setLearningRateScale(factor);
                    return null;
                });
            }
            boolean stopped = !batches(epoch);
            if (stopped) {
                return new TrainingHistory(history, earlyStopper.bestEpoch(), false, true);
            }
            EpochMetrics metrics = finishEpoch(epoch, start);
            boolean stoppedEarly = earlyStopper.shouldStop();
            boolean interrupted = epoch < epochs && !stoppedEarly && stopRequested();
            boolean last = epoch == epochs || stoppedEarly;
            if (last) {
                earlyStopper.restoreBest(parameters);
            }
            if (interrupted || settings.checkpointEvery() > 0 && (last || epoch % settings.checkpointEvery() == 0)) {
                snapshot(state(epoch, 0, 0, 0));
            }
            listeners.forEach(l -> l.onEpochEnd(metrics));
            if (interrupted) {
                return new TrainingHistory(history, earlyStopper.bestEpoch(), false, true);
            }
            if (stoppedEarly) {
                listeners.forEach(TrainingListener::onTrainingEnd);
                return new TrainingHistory(history, earlyStopper.bestEpoch(), true, false);
            }
        }
        listeners.forEach(TrainingListener::onTrainingEnd);
        return new TrainingHistory(history, earlyStopper.bestEpoch(), false, false);
    }

    /**
     * The batches of one epoch.
     *
     * @return false if a stop request ended the epoch early (after a snapshot)
     */
    private boolean batches(int epoch) {
        int[] visit = settings.sharded() ? null : order.forEpoch(epoch);
        step.startEpoch(epoch);
        boolean resumed = epoch == startEpoch;
        epochLoss = resumed ? partialLoss : 0;
        epochCorrect = resumed ? partialCorrect : 0;
        int batches = (examples + batchSize - 1) / batchSize;
        List<TrainingListener> listeners = settings.listeners();
        Trainer.StepInspector inspector = settings.inspector();
        for (int batch = (resumed ? startBatch : 0) + 1; batch <= batches; batch++) {
            int from = (batch - 1) * batchSize;
            int batchRows = Math.min(batchSize, examples - from);
            double batchLoss = step.compute(visit, from, batchRows, ExampleOrder.derivedSeed(settings.seed(), epoch, batch));
            epochCorrect += step.correct();
            checkFinite(batchLoss, epoch, batch);
            for (int h = 0; h < hooks.size(); h++) {
                hooks.get(h).apply(parameters);
            }
            if (inspector != null) {
                inspector.afterBackward(epoch, batch, pass, batchRows, batchLoss);
            }
            try {
                optimizer.step();
            } catch (BackpropException e) {
                throw e;
            } catch (RuntimeException | StackOverflowError | LinkageError | OutOfMemoryError e) {
                throw pluginFailed(optimizerLabel, "step", e);
            }
            checkUpdateFinite(epoch, batch);
            if (inspector != null) {
                inspector.afterUpdate(epoch, batch, network);
            }
            epochLoss += batchLoss;
            for (int l = 0; l < listeners.size(); l++) {
                listeners.get(l).onBatchEnd(epoch, batch, batchLoss / batchRows);
            }
            if (batch < batches && stopRequested()) {
                snapshot(state(epoch - 1, batch, epochLoss, epochCorrect));
                return false;
            }
        }
        return true;
    }

    /** Data-parallel workers stop together: on the vote of the last exchange, not on their own poll. */
    private boolean stopRequested() {
        if (settings.exchange() != null) {
            return step.stopVoted();
        }
        // An interrupt of the training thread stops the run like stopWhen; the flag stays set for the caller.
        return Thread.currentThread().isInterrupted() || settings.stopRequested().getAsBoolean();
    }

    private void checkFinite(double batchLoss, int epoch, int batch) {
        if (!Double.isFinite(batchLoss)) {
            String where = pass.firstNonFiniteLayer();
            throw new BackpropException(ErrorCode.TRAINING_DIVERGED, "Training diverged: the loss became " + batchLoss
                    + " in epoch " + epoch + ", batch " + batch + (where.isEmpty() ? "" : "; " + where)
                    + ". Try a smaller learning rate.");
        }
    }

    /**
     * After the optimizer's step: values it made NaN or infinite from finite gradients are the optimizer's
     * doing, named here; left alone they would show up one batch later as a diverged loss blamed on the
     * first layer. O(parameters) per step, small beside the pass that computed the gradients.
     */
    private void checkUpdateFinite(int epoch, int batch) {
        for (int p = 0; p < parameters.size(); p++) {
            TrainableParameter parameter = parameters.get(p);
            double[] values = parameter.values();
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    nonFiniteUpdate(parameter, i, epoch, batch);
                }
            }
        }
    }

    private void nonFiniteUpdate(TrainableParameter parameter, int index, int epoch, int batch) {
        boolean gradientsFinite = true;
        for (int p = 0; p < parameters.size() && gradientsFinite; p++) {
            for (double g : parameters.get(p).gradient()) {
                if (!Double.isFinite(g)) {
                    gradientsFinite = false;
                    break;
                }
            }
        }
        String source = optimizerLabel;
        boolean builtIn = optimizer.getClass().getName().startsWith("dev.backprop.plugins."); // the SDK's own optimizers
        String advice = !gradientsFinite ? " Try a smaller learning rate, or normalise the inputs."
                : builtIn ? " Try a smaller learning rate." : " The gradients it was given were all finite, so the optimizer plugin "
                        + "produced them: fix or replace the plugin.";
        throw new BackpropException(ErrorCode.TRAINING_DIVERGED, "Training diverged: " + source + " wrote " + parameter.values()[index]
                + " into " + parameter.name() + "[" + index + "] in its step after epoch " + epoch + ", batch " + batch + "." + advice);
    }

    /** @return the optimizer, named by its plugin name where the trainer was given one, and its class */
    private static String optimizerLabel(String name, Optimizer optimizer) {
        return name == null ? "the optimizer " + optimizer.getClass().getName()
                : "the optimizer plugin '" + name + "' (" + optimizer.getClass().getName() + ")";
    }

    /** Calls a plugin of the loop (optimizer, schedule): what it throws becomes one error naming it and the method. */
    private static <T> T plugin(String what, String method, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (BackpropException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | LinkageError | OutOfMemoryError e) {
            throw pluginFailed(what, method, e);
        }
    }

    private static BackpropException pluginFailed(String what, String method, Throwable e) {
        return new BackpropException(ErrorCode.PLUGIN_FAILED, what + " threw in " + method + "(): "
                + dev.backprop.core.plugin.PluginFaults.describe(e), e);
    }

    private EpochMetrics finishEpoch(int epoch, long start) {
        double validationLoss = Double.NaN;
        double validationAccuracy = Double.NaN;
        if (validation != null) {
            Evaluation evaluation = trainer.evaluate(network, validation);
            validationLoss = evaluation.meanLoss();
            validationAccuracy = evaluation.accuracy();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        EpochMetrics metrics = new EpochMetrics(epoch, epochLoss / examples, validationLoss,
                classification ? (double) epochCorrect / examples : Double.NaN, validationAccuracy, seconds, examples);
        history.add(metrics);
        LOG.debug("epoch {}: {}", epoch, metrics);
        earlyStopper.record(epoch, validationLoss, validationAccuracy, parameters);
        return metrics;
    }

    private void snapshot(TrainingState state) {
        for (SnapshotListener listener : snapshots) {
            listener.onSnapshot(state);
        }
    }

    private TrainingState state(int epoch, int batch, double lossSum, long correct) {
        return new TrainingState(epoch, batch, lossSum, correct, EarlyStopper.copy(parameters), optimizer.state(), history,
                earlyStopper.bestValue(), earlyStopper.bestEpoch(), earlyStopper.sinceBest(), earlyStopper.bestWeights());
    }
}
