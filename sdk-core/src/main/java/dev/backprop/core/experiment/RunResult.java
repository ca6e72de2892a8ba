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
 */
public record RunResult(Path runDirectory, Model model, TrainingHistory history, Evaluation train, Evaluation validation,
        Evaluation test, double seconds, double examplesPerSecond, Path lastCheckpoint) {

    /** @return whether the run stopped on request before its last epoch (resume it from {@link #lastCheckpoint()}) */
    public boolean interrupted() {
        return history.interrupted();
    }
}
