package dev.backprop.core.experiment;

import dev.backprop.api.BackpropException;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.TrainingListener;
import dev.backprop.core.config.ExperimentSource;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.rundir.Checkpointer;
import dev.backprop.core.rundir.RunDirectory;
import dev.backprop.core.training.SnapshotListener;
import dev.backprop.core.training.TrainingState;
import dev.backprop.core.training.TrainingHistory;
import java.nio.file.Path;
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
        var config = prepared.config();
        final TrainingState resume = options.resume() == null ? null : RunDirectory.newestCheckpoint(options.resume(), registry).state();
        if (resume != null) {
            LOG.info("Resuming {} after epoch {}{} on the cluster", options.resume(), resume.epoch(),
                    resume.batch() > 0 ? ", batch " + resume.batch() : "");
        }
        var path = options.runDirectory() != null ? options.runDirectory() : RunDirectory.newPath(options.runsRoot(), config.name());
        // The driver writes the checkpoints the first worker sends, in the same format as a local run's.
        var checkpoint = config.training().checkpoint();
        Checkpointer[] checkpointer = {null};
        SnapshotListener snapshots = state -> {
            if (checkpointer[0] == null) {
                checkpointer[0] = RunDirectory.open(path).checkpointer(checkpoint == null ? 1 : checkpoint.keep(), prepared.network(),
                        network -> RunSummary.modelOf(prepared, network));
            }
            checkpointer[0].onSnapshot(state);
        };
        long start = System.nanoTime();
        DistributedTraining.Outcome outcome = training().train(runner, prepared, source, options.stopRequested(), resume, snapshots);
        TrainingHistory history = outcome.history();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (history.interrupted()) {
            Path last = checkpointer[0] == null ? null : checkpointer[0].last();
            LOG.info("Stopped on request; the cluster job was cancelled; newest checkpoint {}", last);
            return new RunResult(path, RunSummary.modelOf(prepared, prepared.network()), history, null, null, null, seconds, 0, last);
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
                    history.epochs().size() - (resume == null ? 0 : resume.history().size()), checkpointer[0] == null ? null : checkpointer[0].last(), outcome.train());
        });
    }

    static DistributedTraining training() {
        return ServiceLoader.load(DistributedTraining.class, ClusterRun.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new BackpropException(ErrorCode.CLUSTER_FAILED, "no distributed training is installed "
                        + "(the SDK's own is in dev.backprop.core.cluster; is sdk-core's META-INF/services missing?)."));
    }
}
