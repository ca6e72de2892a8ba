package dev.backprop.cli;

import dev.backprop.core.config.MasterUrl;
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

    /**
     * Checks a {@code --master} value before anything starts.
     *
     * @param spec the command, for the error
     * @param master the value, or {@code null}
     * @throws picocli.CommandLine.ParameterException (exit code 2) if it is not a master URL
     */
    static void checkMaster(picocli.CommandLine.Model.CommandSpec spec, String master) {
        if (master != null && !MasterUrl.isValid(master)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--master: expected "
                    + MasterUrl.FORMS + ", got '" + master + "'.");
        }
    }

    /**
     * @param master {@code --master}, or {@code null}
     * @param partitions {@code --partitions}, or {@code null} (given only with a master)
     * @return the overrides, with those two as {@code training.distributed} settings after them
     */
    List<String> withDistribution(String master, Integer partitions) {
        List<String> all = new ArrayList<>(overrides);
        if (master != null) {
            all.add("training.distributed.master=" + master);
        }
        if (partitions != null) {
            all.add("training.distributed.partitions=" + partitions);
        }
        return all;
    }
}
