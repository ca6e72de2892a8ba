package dev.backprop.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level {@code backprop} command; the work is done by its subcommands. */
@Command(name = "backprop",
        mixinStandardHelpOptions = true,
        version = "backprop 0.1.0-SNAPSHOT",
        description = "Build, train and check feed-forward neural networks described in YAML.",
        subcommands = {TrainCommand.class, ValidateCommand.class, GradcheckCommand.class, EvaluateCommand.class, SweepCommand.class,
            PredictCommand.class, ExportCommand.class, ImportCommand.class, PluginsCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the run failed", "2:bad arguments or a bad configuration",
            "130:training was interrupted (Ctrl-C) after writing a checkpoint"})
public final class BackpropCommand implements Runnable {

    @Option(names = {"-v", "--verbose"}, scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Log debug output and print stack traces.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "No progress bar and no per-epoch lines; only the summary and errors.")
    boolean quiet;

    @Option(names = "--plugins", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "A folder of extra plugin jars to load (repeatable).")
    java.util.List<java.nio.file.Path> pluginDirs = new java.util.ArrayList<>();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
