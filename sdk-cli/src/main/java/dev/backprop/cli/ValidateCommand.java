package dev.backprop.cli;

import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.PreparedExperiment;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backprop validate CONFIG}: every check of a run, without training. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check an experiment file without training: keys, plugins, data and shapes.")
final class ValidateCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    ExperimentArguments experiment;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    BackpropCommand root;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ExperimentRunner runner = Sdk.injector(root.pluginDirs).getInstance(ExperimentRunner.class);
        PreparedExperiment prepared = runner.prepare(experiment.load(runner));
        out.printf("%s is valid: %s, %d parameters; %d training examples%s%s%n", experiment.config, prepared.network(),
                prepared.network().parameterCount(), prepared.train().dataset().size(),
                prepared.validation() == null ? "" : ", " + prepared.validation().dataset().size() + " validation",
                prepared.test() == null ? "" : ", " + prepared.test().dataset().size() + " test");
        return Main.OK;
    }
}
