package dev.backprop.core.experiment;

import dev.backprop.api.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * How to run an experiment.
 *
 * @param runDirectory the exact folder to write to, or {@code null} for a new folder under {@code runsRoot}
 * @param runsRoot where new run folders are made (named after the experiment and the time)
 * @param trace where to print the step-by-step trace when the configuration asks for one, or {@code null}
 * @param listeners extra listeners for the training run
 * @param resume a run directory to continue from its newest checkpoint, or {@code null} to start afresh
 * @param stopRequested polled after every batch; when true the run stops, writes a checkpoint and returns
 */
public record RunOptions(Path runDirectory, Path runsRoot, PrintWriter trace, List<TrainingListener> listeners, Path resume,
        BooleanSupplier stopRequested) {

    /**
     * Copies the list.
     *
     * @param runDirectory the exact folder to write to, or {@code null} for a new folder under {@code runsRoot}
     * @param runsRoot where new run folders are made (named after the experiment and the time)
     * @param trace where to print the step-by-step trace when the configuration asks for one, or {@code null}
     * @param listeners extra listeners for the training run
     * @param resume a run directory to continue from its newest checkpoint, or {@code null} to start afresh
     * @param stopRequested polled after every batch; when true the run stops, writes a checkpoint and returns
     */
    public RunOptions {
        listeners = List.copyOf(listeners);
        stopRequested = stopRequested == null ? () -> false : stopRequested;
    }

    /**
     * @param runDirectory the exact folder to write to, or {@code null} for a new folder under {@code runsRoot}
     * @param runsRoot where new run folders are made
     * @param trace where to print the trace, or {@code null}
     * @param listeners extra listeners
     */
    public RunOptions(Path runDirectory, Path runsRoot, PrintWriter trace, List<TrainingListener> listeners) {
        this(runDirectory, runsRoot, trace, listeners, null, null);
    }

    /** @return options that write a new folder under {@code runs/} and print no trace */
    public static RunOptions defaults() {
        return new RunOptions(null, Path.of("runs"), null, List.of());
    }

    /**
     * @param runDirectory a run directory with checkpoints
     * @return these options, continuing that run in that directory
     */
    public RunOptions resumeFrom(Path runDirectory) {
        return new RunOptions(runDirectory, runsRoot, trace, listeners, runDirectory, stopRequested);
    }

    /**
     * @param stop polled after every batch
     * @return these options with that stop request
     */
    public RunOptions stopWhen(BooleanSupplier stop) {
        return new RunOptions(runDirectory, runsRoot, trace, listeners, resume, stop);
    }
}
