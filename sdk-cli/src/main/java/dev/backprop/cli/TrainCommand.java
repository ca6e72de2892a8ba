package dev.backprop.cli;

import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.RunOptions;
import dev.backprop.core.experiment.RunResult;
import dev.backprop.core.training.Evaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backprop train CONFIG}: trains and writes a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the network an experiment file describes; write config.yaml, metrics.csv and model.json.")
final class TrainCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    ExperimentArguments experiment;

    @Option(names = "--out", paramLabel = "DIR",
            description = "The run directory to write (default: runs/<name>-<timestamp>).")
    Path out;

    @Option(names = "--master", paramLabel = "URL",
            description = "Train data-parallel on Apache Spark: local[N], local-cluster[N,C,MB] or spark://HOST:PORT "
                    + "(sets training.distributed.master; needs sdk-spark, which ./backprop adds). See docs/distributed.md.")
    String master;

    @Option(names = "--partitions", paramLabel = "N",
            description = "How many workers share each batch with --master (default: the cluster's parallelism).")
    Integer partitions;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the run in RUN_DIR from its newest checkpoint (same CONFIG and --set values; "
                    + "only training.epochs may change).")
    Path resume;

    @Option(names = "--overwrite", description = "Replace the run already in --out DIR (otherwise a non-empty DIR is refused).")
    boolean overwrite;

    @Option(names = "--break-lock", description = "Take over the directory's lock even when it names another host "
            + "(only once that run is known to have ended; a lock of this host's ended runs is taken over anyway).")
    boolean breakLock;

    @Option(names = "--init-from", paramLabel = "MODEL",
            description = "Start from the weights of a saved model (model.json, or an .onnx file) instead of the initializers; "
                    + "its dense layers must match the network's. See docs/onnx.md.")
    Path initFrom;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    BackpropCommand root;

    /** Exit code of a run stopped by Ctrl-C (128 + SIGINT), after its checkpoint was written. */
    static final int INTERRUPTED = 130;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (partitions != null && master == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--partitions needs --master.");
        }
        ExperimentArguments.checkMaster(spec, master);
        if (this.out != null && this.out.toString().isBlank() || resume != null && resume.toString().isBlank()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--out and --resume need a directory, got ''.");
        }
        if (overwrite && resume != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--overwrite and --resume exclude each other: "
                    + "one replaces the run, the other continues it.");
        }
        if (overwrite && this.out == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--overwrite needs --out DIR (the run to replace).");
        }
        if (resume != null && this.out != null && !resume.toAbsolutePath().normalize().equals(this.out.toAbsolutePath().normalize())) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--resume continues the run in its own directory; "
                    + "drop --out, or give the same directory to both.");
        }
        ExperimentRunner runner = Sdk.injector(root.pluginDirs).getInstance(ExperimentRunner.class);
        List<String> overrides = experiment.withDistribution(master, partitions);
        if (initFrom != null) {
            overrides.addAll(InitFrom.overrides(runner, experiment.config, overrides, initFrom));
        }
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Interrupts.onFirstInterrupt(() -> {
            stop.set(true);
            stopped.countDown();
        });
        RunOptions.Builder options = RunOptions.builder().trace(out).stopWhen(stop::get);
        EpochSeam seam = EpochSeam.fromSystemProperty(stopped);
        if (seam != null) {
            options.listener(seam);
        }
        ProgressListener progress = !root.quiet && Terminal.isInteractive() ? new ProgressListener(System.err) : null;
        if (progress != null) {
            options.listener(progress);
        }
        if (this.out != null) {
            options.runDirectory(this.out);
        }
        if (resume != null) {
            options.resumeFrom(resume);
        } else if (overwrite) {
            options.overwrite();
        }
        if (breakLock) {
            options.breakLock();
        }
        RunResult result;
        try {
            result = runner.run(experiment.config, overrides, options.build());
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
        if (!result.history().epochs().isEmpty()) {
            try {
                Plots.curves(result.history().epochs(), result.runDirectory().resolve("curves.png"));
            } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
                // The run is trained and saved; a picture that cannot be drawn does not undo that.
                spec.commandLine().getErr().println("warning: " + result.runDirectory().resolve("curves.png")
                        + " was not drawn: " + Plots.reason(e));
            }
        }
        if (result.interrupted() && result.lastCheckpoint() == null) {
            out.printf("stopped after %d epochs with no checkpoint (a distributed run writes them with training.checkpoint), so start it again to train%n",
                    result.history().epochs().size());
            out.flush();
            return INTERRUPTED;
        }
        if (result.interrupted()) {
            // A distributed run's history stays on the cluster when it is cancelled: the checkpoint names the epoch.
            out.printf("interrupted%s; checkpoint %s%nresume with: %s%n", result.history().epochs().isEmpty() ? ""
                    : " after epoch " + result.history().epochs().size(), result.lastCheckpoint(), resumeCommand(result.runDirectory()));
            out.flush();
            return INTERRUPTED;
        }
        out.println(summary(result));
        out.flush();
        return Main.OK;
    }

    /** The command that continues this very run: the same CONFIG, --plugins, --set, --master, --partitions and --init-from, and --resume. */
    String resumeCommand(Path runDirectory) {
        List<String> words = new ArrayList<>(List.of("./backprop"));
        for (Path dir : root.pluginDirs) {
            words.add("--plugins");
            words.add(quote(dir.toString()));
        }
        words.add("train");
        words.add(quote(experiment.config.toString()));
        for (String override : experiment.overrides) {
            words.add("--set");
            words.add(quote(override));
        }
        if (master != null) {
            words.add("--master");
            words.add(quote(master));
        }
        if (partitions != null) {
            words.add("--partitions");
            words.add(String.valueOf(partitions));
        }
        if (initFrom != null) {
            // The starting weights are part of the run's configuration, which a resume must repeat.
            words.add("--init-from");
            words.add(quote(initFrom.toString()));
        }
        words.add("--resume");
        words.add(quote(runDirectory.toString()));
        return String.join(" ", words);
    }

    /** @return the word as the shell reads it back: quoted in single quotes unless it is plain */
    static String quote(String word) {
        if (word.matches("[A-Za-z0-9_./=:,@%+-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    static String summary(RunResult result) {
        StringBuilder text = new StringBuilder();
        var last = result.history().last();
        String early = result.history().stoppedEarly() ? ", stopped early; best epoch " + result.history().bestEpoch() : "";
        if (result.epochsBefore() == 0) {
            text.append(String.format(Locale.ROOT, "trained %d epochs in %.2f s (%.0f examples/s)%s%n", last.epoch(),
                    result.seconds(), result.examplesPerSecond(), early));
        } else {
            // a resumed run: what this process did, and where the run stands, each labelled
            int here = result.epochsThisProcess();
            String which = here == 0 ? "" : here == 1 ? " (" + last.epoch() + ")" : " (" + (result.epochsBefore() + 1) + "-" + last.epoch() + ")";
            text.append(String.format(Locale.ROOT, "trained %d epoch%s in this process%s, %d of %d in the run, in %.2f s (%.0f examples/s)%s%n",
                    here, here == 1 ? "" : "s", which, last.epoch(), result.plannedEpochs(), result.seconds(), result.examplesPerSecond(), early));
        }
        line(text, "train", result.train());
        line(text, "validation", result.validation());
        line(text, "test", result.test());
        text.append("run directory: ").append(result.runDirectory());
        return text.toString();
    }

    private static void line(StringBuilder text, String what, Evaluation evaluation) {
        if (evaluation == null) {
            return;
        }
        text.append(String.format(Locale.ROOT, "%-10s loss %.6g", what, evaluation.meanLoss()));
        if (!Double.isNaN(evaluation.accuracy())) {
            text.append(String.format(Locale.ROOT, ", accuracy %.2f%%", 100 * evaluation.accuracy()));
        }
        text.append(String.format(Locale.ROOT, " (%d examples)%n", evaluation.examples()));
    }
}
