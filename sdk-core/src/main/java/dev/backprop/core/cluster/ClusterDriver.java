package dev.backprop.core.cluster;

import dev.backprop.api.TrainableParameter;
import dev.backprop.core.config.ExperimentConfig;
import dev.backprop.core.config.ExperimentSource;
import dev.backprop.core.data.RowsSummary;
import dev.backprop.core.training.Evaluation;
import dev.backprop.core.training.SnapshotListener;
import dev.backprop.core.training.TrainingState;
import dev.backprop.core.experiment.DistributedTraining;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.PreparedExperiment;
import dev.backprop.core.training.TrainingHistory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of synchronous data-parallel training: ships the experiment to the
 * {@link ClusterBackend}, waits, and puts the trained weights into the driver's network. Found by the
 * experiment package as its {@link DistributedTraining}.
 */
public final class ClusterDriver implements DistributedTraining {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDriver.class);

    /** For {@link java.util.ServiceLoader}. */
    public ClusterDriver() {
    }

    @Override
    public Outcome train(ExperimentRunner runner, PreparedExperiment prepared, ExperimentSource source,
            BooleanSupplier stopRequested, TrainingState resume, SnapshotListener snapshots) {
        var config = prepared.config();
        var distributed = config.training().distributed();
        ClusterBackend backend = ClusterBackends.find(distributed.master());
        // A sharded run has one worker per shard (the reader refuses a different partitions).
        int partitions = config.training().shards() > 1 ? config.training().shards() : distributed.partitions();
        LOG.info("Training on {} ({}) with {} partitions", distributed.master(), backend.name(),
                partitions == 0 ? "the cluster's default" : partitions);
        // The base registry's folders travel with the job; the experiment's own plugins: folders travel in its text.
        ExperimentSource shipped = source.withPluginVersions(runner.pluginVersions(config)).withPluginFoldersOf(runner.plugins());
        long start = System.nanoTime();
        // Once the snapshot that closes the run has been written, a stop request no longer cancels the job: only
        // the workers' evaluation and their answer are left, and the run then ends complete.
        AtomicReference<TrainingState> closing = new AtomicReference<>();
        BooleanSupplier stop = () -> closing.get() == null && stopRequested.getAsBoolean();
        WorkerResult result;
        try {
            RowsInput rows = null;
            if (config.data().train() instanceof ExperimentConfig.SparkSource spark) {
                rows = new RowsInput(spark.kind(), spark.location(), spark.label(), spark.features(), prepared.rows(),
                        config.training().batchSize(), config.training().shards());
                partitions = config.training().shards(); // one worker per shard, however many partitions the rows have
            }
            List<TrainableParameter> live = prepared.network().parameters();
            result = backend.train(new DataParallelJob(shipped, distributed.master(), partitions, distributed.exchange(), rows,
                    resume == null ? null : StateData.of(resume)), stop, data -> {
                        TrainingState state = data.toState();
                        // the checkpoint's model file carries the network's weights: the snapshot's, from here on
                        for (int p = 0; p < live.size(); p++) {
                            System.arraycopy(state.weights().get(p), 0, live.get(p).values(), 0, live.get(p).size());
                        }
                        snapshots.onSnapshot(state);
                        if (closesRun(state, config.training())) {
                            closing.set(state);
                        }
                    });
        } catch (CancellationException e) {
            TrainingState last = closing.get();
            if (last != null && prepared.rows() == null) {
                // Cancelled (an interrupt of this thread) after the closing checkpoint: the driver holds the training
                // rows and the final weights, so the run ends here, complete, as if the job had answered.
                LOG.info("The job was cancelled after its last checkpoint (epoch {}); the run ends from it", last.epoch());
                return new Outcome(new TrainingHistory(last.history(), last.bestEpoch(), last.epoch() < config.training().epochs(),
                        false), null, null);
            }
            return new Outcome(new TrainingHistory(List.of(), 0, false, true), null, null);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<TrainableParameter> parameters = prepared.network().parameters();
        for (int p = 0; p < parameters.size(); p++) {
            System.arraycopy(result.weights()[p], 0, parameters.get(p).values(), 0, parameters.get(p).size());
        }
        logOverhead(result, seconds);
        return new Outcome(new TrainingHistory(result.epochs(), result.bestEpoch(), result.stoppedEarly(), false),
                report(backend, distributed.master(), distributed.exchange(), config.training().shards(), result, seconds),
                prepared.rows() == null ? null : trainEvaluation(result, prepared));
    }

    /** Whether the snapshot closes the run: its last epoch, or the one at which early stopping ended it. */
    static boolean closesRun(TrainingState state, ExperimentConfig.TrainingSpec training) {
        return state.batch() == 0 && (state.epoch() >= training.epochs() || training.earlyStopping() != null
                && state.epoch() > 0 && state.epochsWithoutImprovement() >= training.earlyStopping().patience());
    }

    /** The workers' evaluations of their shards, added in rank order. */
    private static Evaluation trainEvaluation(WorkerResult result, PreparedExperiment prepared) {
        double loss = 0;
        long correct = 0;
        for (WorkerStats w : result.workers()) {
            loss += w.trainLossSum();
            correct += w.trainCorrect();
        }
        long n = prepared.trainingRows();
        return new Evaluation(loss / n, prepared.train().isClassification() ? (double) correct / n : Double.NaN, Math.toIntExact(n));
    }

    @Override
    public RowsSummary summarise(ExperimentRunner runner, ExperimentConfig config) {
        var distributed = config.training().distributed();
        ExperimentConfig.SparkSource spark = (ExperimentConfig.SparkSource) config.data().train();
        ClusterBackend backend = ClusterBackends.find(distributed.master());
        long start = System.nanoTime();
        RowsSummary summary;
        try {
            summary = backend.summarise(distributed.master(), spark.kind(), spark.location(), spark.label(), spark.features());
        } catch (dev.backprop.api.BackpropException e) {
            throw spark.where() == null ? e : spark.where().relocate(e);
        }
        LOG.info(String.format(Locale.ROOT, "%s %s: %d rows, %d classes, summarised on the cluster in %.2f s", spark.kind(),
                spark.shown(), summary.rows(), summary.classes().size(), (System.nanoTime() - start) / 1e9));
        return summary;
    }

    /** {@code cluster.json}: the workers, the rows each computed, their traffic and time per step, and the job's start-up cost. */
    static Map<String, Object> report(ClusterBackend backend, String master, String exchange, int shards, WorkerResult result,
            double seconds) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("backend", backend.name());
        report.put("master", master);
        report.put("exchange", exchange);
        report.put("workers", result.workers().size());
        report.put("shards", shards);
        report.put("steps", result.steps());
        report.put("job_seconds", seconds);
        double slowest = 0;
        List<Map<String, Object>> workers = new ArrayList<>();
        long rows = 0;
        for (WorkerStats w : result.workers()) {
            slowest = Math.max(slowest, w.trainingNanos() / 1e9);
            rows += w.rowsPerEpoch();
            double steps = Math.max(1, w.steps());
            Map<String, Object> worker = new LinkedHashMap<>();
            worker.put("rank", w.rank());
            worker.put("training_rows_loaded", w.rowsLoaded());
            worker.put("rows_per_epoch", w.rowsPerEpoch());
            worker.put("steps", w.steps());
            worker.put("bytes_sent_per_step", w.bytesSent() / steps);
            worker.put("bytes_received_per_step", w.bytesReceived() / steps);
            worker.put("ms_per_step", w.trainingNanos() / 1e6 / steps);
            worker.put("compute_ms_per_step", (w.trainingNanos() - w.exchangeNanos()) / 1e6 / steps);
            worker.put("exchange_ms_per_step", w.exchangeNanos() / 1e6 / steps);
            workers.add(worker);
        }
        report.put("rows_per_epoch", rows);
        report.put("training_seconds", slowest);
        report.put("startup_seconds", Math.max(0, seconds - slowest));
        report.put("per_worker", workers);
        return report;
    }

    private static void logOverhead(WorkerResult result, double seconds) {
        if (result.steps() == 0) {
            return;
        }
        double perStepMs = result.trainingNanos() / 1e6 / result.steps();
        double exchangeMs = result.exchangeNanos() / 1e6 / result.steps();
        LOG.info(String.format(Locale.ROOT, "%d steps in %.2f s (%.2f s in training, the rest starting the job and "
                + "the workers): per step %.3f ms, of which %.3f ms computing and %.3f ms exchanging gradients (the fixed cost)",
                result.steps(), seconds, result.trainingNanos() / 1e9, perStepMs, perStepMs - exchangeMs, exchangeMs));
    }
}
