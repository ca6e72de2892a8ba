package dev.backprop.core.experiment;

import dev.backprop.api.BackpropException;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.TrainingListener;
import dev.backprop.core.config.ExperimentSource;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.rundir.RunDirectory;
import dev.backprop.core.training.TrainingHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of a distributed run: the cluster trains (through {@link DistributedTraining}), and
 * this JVM writes the same run directory a local run writes. A cluster that never trained leaves nothing.
 */
final class ClusterRun {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);

    private ClusterRun() {
    }

    static RunResult run(ExperimentRunner runner, PreparedExperiment prepared, PluginRegistry registry, ExperimentSource source,
            String resolvedYaml, RunOptions options) {
        if (options.resume() != null) {
            throw new BackpropException(ErrorCode.TRAINING_INVALID, "--resume continues a local run from its checkpoints; "
                    + "distributed runs (training.distributed) write no checkpoints.");
        }
        var config = prepared.config();
        var path = options.runDirectory() != null ? options.runDirectory() : RunDirectory.newPath(options.runsRoot(), config.name());
        long start = System.nanoTime();
        DistributedTraining.Outcome outcome = training().train(runner, prepared, source, options.stopRequested());
        TrainingHistory history = outcome.history();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (history.interrupted()) {
            LOG.info("Stopped on request; the cluster job was cancelled (distributed runs write no checkpoints)");
            return new RunResult(path, RunSummary.modelOf(prepared, prepared.network()), history, null, null, null, seconds, 0, null);
        }
        RunDirectory directory = RunDirectory.open(path);
        return RunSummary.logged(directory, () -> {
            directory.writeConfig(resolvedYaml);
            if (outcome.report() != null) {
                directory.writeClusterReport(outcome.report());
            }
            List<TrainingListener> replay = new ArrayList<>();
            replay.add(directory.metrics(List.of()));
            replay.add(new EpochLog());
            replay.addAll(options.listeners());
            int batchSize = config.training().batchSize();
            int rows = Math.toIntExact(prepared.trainingRows());
            replay.forEach(l -> l.onTrainingStart(config.training().epochs(), rows, batchSize));
            for (EpochMetrics m : history.epochs()) {
                replay.forEach(l -> l.onEpochEnd(m));
            }
            replay.forEach(TrainingListener::onTrainingEnd);
            return RunSummary.finish(prepared, ExperimentAssembler.trainer(registry, prepared).build(), history, directory, seconds,
                    history.epochs().size(), null, outcome.train());
        });
    }

    static DistributedTraining training() {
        return ServiceLoader.load(DistributedTraining.class, ClusterRun.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new BackpropException(ErrorCode.CLUSTER_FAILED, "no distributed training is installed "
                        + "(the SDK's own is in dev.backprop.core.cluster; is sdk-core's META-INF/services missing?)."));
    }
}
