package dev.backprop.core.experiment;

import dev.backprop.api.BackpropException;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.TrainingListener;
import dev.backprop.core.config.ExperimentSource;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.rundir.CheckpointFile;
import dev.backprop.core.rundir.Checkpointer;
import dev.backprop.core.rundir.RunDirectory;
import dev.backprop.core.training.TrainingHistory;
import dev.backprop.core.training.TrainingState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of a distributed run: the cluster trains (through {@link DistributedTraining}), and
 * this JVM owns the run directory as a local run does: it takes the directory's lock before the job
 * starts, writes the checkpoints the first worker sends, and at the end the same files a local run
 * writes, plus {@code cluster.json}. A resume is checked against the run's {@code config.yaml} first.
 */
final class ClusterRun {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);

    private ClusterRun() {
    }

    static RunResult run(ExperimentRunner runner, PreparedExperiment prepared, PluginRegistry registry, ExperimentSource source,
            String resolvedYaml, RunOptions options) {
        var config = prepared.config();
        Path path = options.runDirectory() != null ? options.runDirectory() : RunDirectory.newPath(options.runsRoot(), config.name());
        RunDirectory.Mode mode = options.resume() != null ? RunDirectory.Mode.RESUME
                : options.overwrite() ? RunDirectory.Mode.OVERWRITE : RunDirectory.Mode.FRESH;
        // A directory this run creates is removed again if the cluster never trained into it.
        boolean created = !java.nio.file.Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        RunResult result = null;
        try (RunDirectory directory = RunDirectory.open(path, mode,
                options.breakLock() ? RunDirectory.ForeignLock.BREAK : RunDirectory.ForeignLock.REFUSE)) {
            TrainingState resume = null;
            if (options.resume() != null) {
                ResumeCheck.sameRun(directory, resolvedYaml);
                Path newest = RunDirectory.newestCheckpointFile(path);
                CheckpointFile.Checkpoint checkpoint = CheckpointFile.read(newest, registry);
                ResumeCheck.belongsToRun(directory, newest, checkpoint, resolvedYaml);
                ResumeCheck.sameNetwork(newest, checkpoint, prepared);
                resume = checkpoint.state();
                ResumeCheck.inRange(newest, resume, config, prepared, registry);
                LOG.info(ResumeCheck.trainedToTheEnd(resume, config) ? "Finishing {} (its newest checkpoint holds every epoch it "
                        + "trains: {}{}) on the cluster, which evaluates it" : "Resuming {} after epoch {}{} on the cluster",
                        options.resume(), resume.epoch(),
                        resume.batch() > 0 ? ", batch " + resume.batch() : "");
            }
            directory.removeStaleTemporaries();
            directory.createLog();
            TrainingState from = resume;
            result = RunSummary.logged(directory, () -> train(runner, prepared, registry, source, resolvedYaml, options, directory, from));
            return result;
        } finally {
            boolean trained = result != null && (!result.interrupted() || result.lastCheckpoint() != null);
            if (created && !trained) {
                try {
                    dev.backprop.core.io.AtomicFiles.deleteTree(path);
                } catch (BackpropException e) {
                    LOG.warn("{}", e.getMessage()); // the run's own error, if any, is the one to report
                }
            }
        }
    }

    private static RunResult train(ExperimentRunner runner, PreparedExperiment prepared, PluginRegistry registry,
            ExperimentSource source, String resolvedYaml, RunOptions options, RunDirectory directory, TrainingState resume) {
        var config = prepared.config();
        // Written first, as a local run does: the checkpoints the job writes can then be resumed.
        directory.writeConfig(resolvedYaml);
        // The driver writes the checkpoints the first worker sends, in the same format as a local run's.
        var checkpoint = config.training().checkpoint();
        Checkpointer checkpointer = directory.checkpointer(checkpoint == null ? 1 : checkpoint.keep(), prepared.network(),
                network -> RunSummary.modelOf(prepared, network), TrainedUnder.settings(resolvedYaml, "the configuration"));
        long start = System.nanoTime();
        DistributedTraining.Outcome outcome = training().train(runner, prepared, source, options.stopRequested(), resume,
                checkpointer);
        TrainingHistory history = outcome.history();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (history.interrupted()) {
            LOG.info("Stopped on request; the cluster job was cancelled; newest checkpoint {}", checkpointer.last());
            return RunSummary.interrupted(prepared, directory, history, seconds, history.epochs().size(), checkpointer.last());
        }
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
                resume == null ? 0 : resume.history().size(), checkpointer.last(), outcome.train());
    }

    static DistributedTraining training() {
        return ServiceLoader.load(DistributedTraining.class, ClusterRun.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new BackpropException(ErrorCode.CLUSTER_FAILED, "no distributed training is installed "
                        + "(the SDK's own is in dev.backprop.core.cluster; is sdk-core's META-INF/services missing?)."));
    }
}
