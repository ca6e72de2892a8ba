package dev.backprop.cli;

import dev.backprop.core.config.ExperimentConfig;
import dev.backprop.core.experiment.ExperimentRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The experiment file and its {@code --set} overrides, shared by the commands that read one (a picocli mixin). */
final class ExperimentArguments {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The experiment file (YAML).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a configuration value, e.g. --set training.epochs=5 (repeatable).")
    List<String> overrides = new ArrayList<>();

    ExperimentConfig load(ExperimentRunner runner) {
        return runner.load(config, overrides);
    }
}
