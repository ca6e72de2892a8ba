package dev.backprop.core.experiment;

import dev.backprop.core.model.Model;
import dev.backprop.core.network.Network;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.rundir.CheckpointFile;
import dev.backprop.core.rundir.Checkpointer;
import dev.backprop.core.rundir.RunDirectory;
import dev.backprop.core.training.Trainer;
import dev.backprop.core.training.TrainingHistory;
import dev.backprop.core.training.TrainingState;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local run: trains in this JVM, writing metrics and checkpoints as it goes, and continues a run from
 * its newest checkpoint. A resume is accepted or refused before anything in the directory is written.
 */
final class LocalRun {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);

    private LocalRun() {
    }

    static RunResult run(PreparedExperiment prepared, PluginRegistry registry, String resolvedYaml, RunOptions options) {
        ExperimentAssembler.trainer(registry, prepared).build(); // every training setting is checked before the directory is touched
        Path path = options.runDirectory() != null ? options.runDirectory()
                : RunDirectory.newPath(options.runsRoot(), prepared.config().name());
        RunDirectory.Mode mode = options.resume() != null ? RunDirectory.Mode.RESUME
                : options.overwrite() ? RunDirectory.Mode.OVERWRITE : RunDirectory.Mode.FRESH;
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
                ResumeCheck.inRange(newest, resume, prepared.config(), prepared, registry);
                if (ResumeCheck.trainedToTheEnd(resume, prepared.config())) {
                    LOG.info("Finishing {}: its newest checkpoint holds every epoch it trains ({}); evaluating it and writing "
                            + "model.json", options.resume(), resume.epoch());
                } else {
                    LOG.info("Resuming {} after epoch {}{}", options.resume(), resume.epoch(),
                            resume.batch() > 0 ? ", batch " + resume.batch() : "");
                }
            }
            directory.removeStaleTemporaries();
            directory.createLog();
            TrainingState from = resume;
            return RunSummary.logged(directory, () -> train(prepared, registry, resolvedYaml, options, directory, from));
        }
    }

    private static RunResult train(PreparedExperiment prepared, PluginRegistry registry, String resolvedYaml, RunOptions options,
            RunDirectory directory, TrainingState resume) {
        directory.writeConfig(resolvedYaml);
        var training = prepared.config().training();
        Function<Network, Model> modelOf = network -> RunSummary.modelOf(prepared, network);
        // Without a checkpoint section a run still checkpoints when stopped on request, so it can resume.
        Checkpointer checkpointer = directory.checkpointer(training.checkpoint() == null ? 1 : training.checkpoint().keep(),
                prepared.network(), modelOf, TrainedUnder.settings(resolvedYaml, "the configuration"));
        TracePrinter trace = training.trace() && options.trace() != null ? new TracePrinter(options.trace()) : null;
        Trainer.Builder builder = ExperimentAssembler.trainer(registry, prepared)
                .stopWhen(options.stopRequested())
                .listener(directory.metrics(resume == null ? List.of() : resume.history()))
                .listener(new EpochLog())
                .listener(checkpointer)
                .checkpointEvery(training.checkpoint() == null ? 0 : training.checkpoint().every())
                .inspector(trace);
        options.listeners().forEach(builder::listener);
        Trainer trainer = builder.build();
        if (training.shards() > 1) {
            // An interrupt of the fitting thread stops a run as a stop request does (TrainingLoop asks for it); in a
            // sharded run the lead worker, on this thread, votes for the stop.
            builder.stopWhen(() -> Thread.currentThread().isInterrupted() || options.stopRequested().getAsBoolean());
        }

        long start = System.nanoTime();
        var validation = prepared.validation() == null ? null : prepared.validation().dataset();
        TrainingHistory history = training.shards() > 1
                ? ShardedLocalTraining.fit(builder, () -> ExperimentAssembler.trainer(registry, prepared).stopWhen(options.stopRequested())
                        .checkpointEvery(training.checkpoint() == null ? 0 : training.checkpoint().every()),
                        training.shards(), prepared.network(), prepared.train().dataset(), validation, resume)
                : trainer.fit(prepared.network(), prepared.train().dataset(), validation, resume);
        double seconds = (System.nanoTime() - start) / 1e9;
        int epochsBefore = resume == null ? 0 : resume.history().size();
        if (history.interrupted()) {
            LOG.info("Stopped on request; newest checkpoint {}", checkpointer.last());
            return RunSummary.interrupted(prepared, directory, history, seconds, epochsBefore, checkpointer.last());
        }
        if (trace != null) {
            trace.finalOutputs(prepared.network(), prepared.train().dataset());
        }
        return RunSummary.finish(prepared, trainer, history, directory, seconds, epochsBefore, checkpointer.last());
    }
}
