package dev.backprop.core.experiment;

import dev.backprop.api.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * How to run an experiment.
 *
 * @param runDirectory the exact folder to write to, or {@code null} for a new folder under {@code runsRoot}
 * @param runsRoot where new run folders are made (named after the experiment and the time)
 * @param trace where to print the step-by-step trace when the configuration asks for one, or {@code null}
 * @param listeners extra listeners for the training run
 */
public record RunOptions(Path runDirectory, Path runsRoot, PrintWriter trace, List<TrainingListener> listeners) {

    /** Copies the list. */
    public RunOptions {
        listeners = List.copyOf(listeners);
    }

    /** @return options that write a new folder under {@code runs/} and print no trace */
    public static RunOptions defaults() {
        return new RunOptions(null, Path.of("runs"), null, List.of());
    }
}
