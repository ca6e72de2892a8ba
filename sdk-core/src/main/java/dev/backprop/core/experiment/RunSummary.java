package dev.backprop.core.experiment;

import dev.backprop.core.data.LabelledData;
import dev.backprop.core.model.Model;
import dev.backprop.core.network.Network;
import dev.backprop.core.rundir.RunDirectory;
import dev.backprop.core.training.Evaluation;
import dev.backprop.core.training.Trainer;
import dev.backprop.core.training.TrainingHistory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The end of every run, local or distributed: evaluation, {@code model.json} and the {@link RunResult}. */
final class RunSummary {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);

    private RunSummary() {
    }

    /** Runs {@code body} with the run directory in the logging context, so that its lines also reach the run's {@code run.log}. */
    static RunResult logged(RunDirectory directory, Supplier<RunResult> body) {
        MDC.put(ExperimentRunner.RUN_DIRECTORY_MDC_KEY, directory.path().toAbsolutePath().toString());
        try {
            LOG.info("Run directory: {}", directory.path());
            // Weights are bit-identical only with the same kernels and Java version: the log says which ran.
            LOG.info("Dense-layer kernels: {}, Java {}", dev.backprop.core.linalg.Kernels.implementation(), Runtime.version());
            return body.get();
        } finally {
            MDC.remove(ExperimentRunner.RUN_DIRECTORY_MDC_KEY);
        }
    }

    static Model modelOf(PreparedExperiment prepared, Network network) {
        LabelledData train = prepared.train();
        return new Model(network, prepared.config().loss().name(), prepared.normalizer(), train.features(), train.targets(),
                train.classes(), train.label());
    }

    /** Examples per second over the epochs this process trained (a resumed run's earlier epochs excluded). */
    static double examplesPerSecond(PreparedExperiment prepared, int epochsTrained, double seconds) {
        long examples = prepared.trainingRows() * Math.max(epochsTrained, 0);
        return examples / Math.max(seconds, 1e-9);
    }

    /** The result of a run stopped on request: no evaluation, no {@code model.json}; resume it from {@code lastCheckpoint}. */
    static RunResult interrupted(PreparedExperiment prepared, RunDirectory directory, TrainingHistory history, double seconds,
            int epochsBefore, Path lastCheckpoint) {
        return new RunResult(directory.path(), modelOf(prepared, prepared.network()), history, null, null, null, seconds,
                examplesPerSecond(prepared, history.epochs().size() - epochsBefore, seconds), lastCheckpoint, epochsBefore,
                prepared.config().training().epochs());
    }

    /**
     * Evaluates the trained network on each data set, writes {@code model.json} and reports.
     *
     * @param epochsBefore the epochs the run had trained before this process (those of the checkpoint it resumed from)
     * @param lastCheckpoint the newest checkpoint of the run, or {@code null}
     */
    static RunResult finish(PreparedExperiment prepared, Trainer trainer, TrainingHistory history, RunDirectory directory,
            double seconds, int epochsBefore, Path lastCheckpoint) {
        return finish(prepared, trainer, history, directory, seconds, epochsBefore, lastCheckpoint, null);
    }

    /** @param trainEvaluation the training rows' evaluation when the workers made it (rows that stay on the cluster), else {@code null} */
    static RunResult finish(PreparedExperiment prepared, Trainer trainer, TrainingHistory history, RunDirectory directory,
            double seconds, int epochsBefore, Path lastCheckpoint, Evaluation trainEvaluation) {
        int epochsTrained = history.epochs().size() - epochsBefore;
        Network network = prepared.network();
        Model model = modelOf(prepared, network);
        Evaluation trainEval = trainEvaluation != null ? trainEvaluation : trainer.evaluate(network, prepared.train().dataset());
        Evaluation validationEval = prepared.validation() == null ? null : trainer.evaluate(network, prepared.validation().dataset());
        Evaluation testEval = prepared.test() == null ? null : trainer.evaluate(network, prepared.test().dataset());
        Path file = directory.writeModel(model);
        LOG.info("Finished in {} s; model written to {}", String.format(Locale.ROOT, "%.2f", seconds), file);
        return new RunResult(directory.path(), model, history, trainEval, validationEval, testEval, seconds,
                examplesPerSecond(prepared, epochsTrained, seconds), lastCheckpoint, epochsBefore, prepared.config().training().epochs());
    }
}
