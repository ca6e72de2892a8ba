package dev.backprop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Keeps a command from writing its result over one of its own inputs. */
final class OutputPaths {
    private OutputPaths() {
    }

    /**
     * @param spec the command, for the error
     * @param output the file the command writes, or {@code null}
     * @param option the output's option name, for the error
     * @param inputs the files the command reads (entries may be {@code null})
     * @throws ParameterException (exit 2) if the output is one of the inputs, by path or through a link
     */
    static void distinctFromInputs(CommandSpec spec, Path output, String option, Path... inputs) {
        if (output == null) {
            return;
        }
        for (Path input : inputs) {
            if (input != null && same(output, input)) {
                throw new ParameterException(spec.commandLine(), option + " " + output + " is also an input of this command ("
                        + input + "); writing it would destroy that input. Choose another file.");
            }
        }
    }

    private static boolean same(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
