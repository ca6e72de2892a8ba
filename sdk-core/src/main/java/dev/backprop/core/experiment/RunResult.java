package dev.backprop.core.experiment;

import dev.backprop.core.model.Model;
import dev.backprop.core.training.Evaluation;
import dev.backprop.core.training.TrainingHistory;
import java.nio.file.Path;

/**
 * What a finished run produced.
 *
 * @param runDirectory the folder with {@code config.yaml}, {@code metrics.csv} and {@code model.json}
 * @param model the trained model
 * @param history the metrics of every epoch
 * @param train the final evaluation on the training examples
 * @param validation the final evaluation on the validation examples, or {@code null}
 * @param test the evaluation on the test examples, or {@code null}
 * @param seconds the training time
 * @param examplesPerSecond training examples processed per second
 * @param lastCheckpoint the newest checkpoint this run wrote, or {@code null}
 * @param epochsBefore the epochs the run had trained before this process took it up (those of the
 *     checkpoint it resumed from; 0 for a fresh run)
 * @param plannedEpochs the epochs the run's configuration asks for ({@code training.epochs})
 */
public record RunResult(Path runDirectory, Model model, TrainingHistory history, Evaluation train, Evaluation validation,
        Evaluation test, double seconds, double examplesPerSecond, Path lastCheckpoint, int epochsBefore, int plannedEpochs) {

    /**
     * A fresh run's result: no epochs before this process, and as many planned as {@code history} holds.
     *
     * @param runDirectory the folder with {@code config.yaml}, {@code metrics.csv} and {@code model.json}
     * @param model the trained model
     * @param history the metrics of every epoch
     * @param train the final evaluation on the training examples
     * @param validation the final evaluation on the validation examples, or {@code null}
     * @param test the evaluation on the test examples, or {@code null}
     * @param seconds the training time
     * @param examplesPerSecond training examples processed per second
     * @param lastCheckpoint the newest checkpoint this run wrote, or {@code null}
     */
    public RunResult(Path runDirectory, Model model, TrainingHistory history, Evaluation train, Evaluation validation,
            Evaluation test, double seconds, double examplesPerSecond, Path lastCheckpoint) {
        this(runDirectory, model, history, train, validation, test, seconds, examplesPerSecond, lastCheckpoint, 0,
                history.epochs().size());
    }

    /** @return the epochs this process trained (a resumed run's earlier epochs excluded) */
    public int epochsThisProcess() {
        return Math.max(0, history.epochs().size() - epochsBefore);
    }

    /** @return whether the run stopped on request before its last epoch (resume it from {@link #lastCheckpoint()}) */
    public boolean interrupted() {
        return history.interrupted();
    }
}
