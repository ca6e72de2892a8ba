package dev.backprop.cli;

import dev.backprop.core.config.ExperimentConfig;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.PreparedExperiment;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code backprop validate CONFIG}: every check of a run, without training. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check an experiment file without training: keys, plugins, data and shapes.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The experiment file (YAML).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a configuration value (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    BackpropCommand root;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ExperimentRunner runner = Sdk.injector(root.pluginDirs).getInstance(ExperimentRunner.class);
        ExperimentConfig experiment = runner.load(config, overrides);
        PreparedExperiment prepared = runner.prepare(experiment);
        out.printf("%s is valid: %s, %d parameters; %d training examples%s%s%n", config, prepared.network(),
                prepared.network().parameterCount(), prepared.train().dataset().size(),
                prepared.validation() == null ? "" : ", " + prepared.validation().dataset().size() + " validation",
                prepared.test() == null ? "" : ", " + prepared.test().dataset().size() + " test");
        return Main.OK;
    }
}
