package dev.backprop.core.experiment;

import dev.backprop.api.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * How to run an experiment. Build one with {@link #builder()}, which names each setting and has a
 * default for all of them:
 * <pre>{@code
 * RunOptions options = RunOptions.builder().runDirectory(Path.of("runs/iris")).listener(myListener).build();
 * }</pre>
 *
 * @param runDirectory the exact folder to write to, or {@code null} for a new folder under {@code runsRoot}
 * @param runsRoot where new run folders are made (named after the experiment and the time)
 * @param trace where to print the step-by-step trace when the configuration asks for one, or {@code null}
 * @param listeners extra listeners for the training run
 * @param resume a run directory to continue from its newest checkpoint, or {@code null} to start afresh
 * @param stopRequested polled after every batch; when true the run stops, writes a checkpoint and returns
 * @param overwrite whether a fresh run replaces a run already in {@code runDirectory} (otherwise it is refused)
 * @param breakLock whether a lock on the run directory that names another host is taken over (otherwise it is refused)
 */
public record RunOptions(Path runDirectory, Path runsRoot, PrintWriter trace, List<TrainingListener> listeners, Path resume,
        BooleanSupplier stopRequested, boolean overwrite, boolean breakLock) {

    /**
     * Copies the list.
     *
     * @param runDirectory the exact folder to write to, or {@code null} for a new folder under {@code runsRoot}
     * @param runsRoot where new run folders are made (named after the experiment and the time)
     * @param trace where to print the step-by-step trace when the configuration asks for one, or {@code null}
     * @param listeners extra listeners for the training run
     * @param resume a run directory to continue from its newest checkpoint, or {@code null} to start afresh
     * @param stopRequested polled after every batch; when true the run stops, writes a checkpoint and returns
     * @param overwrite whether a fresh run replaces a run already in {@code runDirectory}
     * @param breakLock whether a lock on the run directory that names another host is taken over
     */
    public RunOptions {
        listeners = List.copyOf(listeners);
        stopRequested = stopRequested == null ? () -> false : stopRequested;
    }

    /**
     * Options that refuse a lock naming another host.
     *
     * @param runDirectory the exact folder to write to, or {@code null} for a new folder under {@code runsRoot}
     * @param runsRoot where new run folders are made
     * @param trace where to print the trace, or {@code null}
     * @param listeners extra listeners
     * @param resume a run directory to continue, or {@code null}
     * @param stopRequested polled after every batch
     * @param overwrite whether a fresh run replaces a run already in {@code runDirectory}
     */
    public RunOptions(Path runDirectory, Path runsRoot, PrintWriter trace, List<TrainingListener> listeners, Path resume,
            BooleanSupplier stopRequested, boolean overwrite) {
        this(runDirectory, runsRoot, trace, listeners, resume, stopRequested, overwrite, false);
    }

    /**
     * @param runDirectory the exact folder to write to, or {@code null} for a new folder under {@code runsRoot}
     * @param runsRoot where new run folders are made
     * @param trace where to print the trace, or {@code null}
     * @param listeners extra listeners
     * @param resume a run directory to continue, or {@code null}
     * @param stopRequested polled after every batch
     */
    public RunOptions(Path runDirectory, Path runsRoot, PrintWriter trace, List<TrainingListener> listeners, Path resume,
            BooleanSupplier stopRequested) {
        this(runDirectory, runsRoot, trace, listeners, resume, stopRequested, false);
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
        return new RunOptions(runDirectory, runsRoot, trace, listeners, runDirectory, stopRequested, false, breakLock);
    }

    /** @return these options, replacing a run already in the run directory instead of refusing it */
    public RunOptions overwriting() {
        return new RunOptions(runDirectory, runsRoot, trace, listeners, resume, stopRequested, true, breakLock);
    }

    /**
     * @param stop polled after every batch
     * @return these options with that stop request
     */
    public RunOptions stopWhen(BooleanSupplier stop) {
        return new RunOptions(runDirectory, runsRoot, trace, listeners, resume, stop, overwrite, breakLock);
    }

    /**
     * @return a builder with the defaults: a new folder under {@code runs/}, no trace, no extra
     *     listeners, a fresh start, never stopped
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects run options by name; every setting has a default. */
    public static final class Builder {
        private Path runDirectory;
        private Path runsRoot = Path.of("runs");
        private PrintWriter trace;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private Path resume;
        private BooleanSupplier stopRequested = () -> false;
        private boolean overwrite;
        private boolean breakLock;

        private Builder() {
        }

        /**
         * @param folder the exact folder to write the run to (default: a new folder under the runs root)
         * @return this builder
         */
        public Builder runDirectory(Path folder) {
            this.runDirectory = Objects.requireNonNull(folder, "folder must not be null");
            return this;
        }

        /**
         * @param folder where new run folders are made, named after the experiment and the time (default {@code runs})
         * @return this builder
         */
        public Builder runsRoot(Path folder) {
            this.runsRoot = Objects.requireNonNull(folder, "folder must not be null");
            return this;
        }

        /**
         * @param out where to print the step-by-step trace when the configuration asks for one (default: nowhere)
         * @return this builder
         */
        public Builder trace(PrintWriter out) {
            this.trace = Objects.requireNonNull(out, "out must not be null");
            return this;
        }

        /**
         * @param listener an extra listener for the training run
         * @return this builder
         */
        public Builder listener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
            return this;
        }

        /**
         * @param folder a run directory with checkpoints: continue from its newest, writing to that folder
         * @return this builder
         */
        public Builder resumeFrom(Path folder) {
            this.resume = Objects.requireNonNull(folder, "folder must not be null");
            this.runDirectory = folder;
            return this;
        }

        /**
         * @param stop polled after every batch; when true the run stops, writes a checkpoint and returns
         * @return this builder
         */
        public Builder stopWhen(BooleanSupplier stop) {
            this.stopRequested = Objects.requireNonNull(stop, "stop must not be null");
            return this;
        }

        /**
         * @return this builder, replacing a run already in the run directory instead of refusing it
         */
        public Builder overwrite() {
            this.overwrite = true;
            return this;
        }

        /**
         * @return this builder, taking over a lock on the run directory that names another host instead of
         *     refusing it (for a run on that host known to have ended; see {@code --break-lock})
         */
        public Builder breakLock() {
            this.breakLock = true;
            return this;
        }

        /** @return the options */
        public RunOptions build() {
            return new RunOptions(runDirectory, runsRoot, trace, listeners, resume, stopRequested, overwrite, breakLock);
        }
    }
}
