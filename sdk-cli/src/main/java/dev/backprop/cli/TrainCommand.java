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
import java.util.concurrent.atomic.AtomicBoolean;
import dev.backprop.api.TrainingListener;
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
            description = "Continue the run in RUN_DIR from its newest checkpoint (same CONFIG).")
    Path resume;

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
        ExperimentRunner runner = Sdk.injector(root.pluginDirs).getInstance(ExperimentRunner.class);
        AtomicBoolean stop = new AtomicBoolean();
        Interrupts.onFirstInterrupt(() -> stop.set(true));
        List<TrainingListener> listeners = new ArrayList<>();
        ProgressListener progress = !root.quiet && Terminal.isInteractive() ? new ProgressListener(System.err) : null;
        if (progress != null) {
            listeners.add(progress);
        }
        RunOptions options = new RunOptions(this.out, Path.of("runs"), out, listeners).stopWhen(stop::get);
        if (resume != null) {
            options = options.resumeFrom(resume);
        }
        RunResult result;
        try {
            result = runner.run(experiment.config, experiment.withDistribution(master, partitions), options);
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
        if (!result.history().epochs().isEmpty()) {
            Plots.curves(result.history().epochs(), result.runDirectory().resolve("curves.png"));
        }
        if (result.interrupted() && result.lastCheckpoint() == null) {
            out.printf("stopped after %d epochs with no checkpoint (a distributed run writes them with training.checkpoint), so start it again to train%n",
                    result.history().epochs().size());
            out.flush();
            return INTERRUPTED;
        }
        if (result.interrupted()) {
            out.printf("interrupted after epoch %d; checkpoint %s%nresume with: ./backprop train %s --resume %s%n",
                    result.history().epochs().size(), result.lastCheckpoint(), experiment.config, result.runDirectory());
            out.flush();
            return INTERRUPTED;
        }
        out.println(summary(result));
        out.flush();
        return Main.OK;
    }

    static String summary(RunResult result) {
        StringBuilder text = new StringBuilder();
        var last = result.history().last();
        text.append(String.format(Locale.ROOT, "trained %d epochs in %.2f s (%.0f examples/s)%s%n", last.epoch(),
                result.seconds(), result.examplesPerSecond(), result.history().stoppedEarly()
                        ? ", stopped early; best epoch " + result.history().bestEpoch() : ""));
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
