package dev.backprop.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.io.IoErrors;
import dev.backprop.core.model.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.Predicate;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The rules for the files a command writes (other than a run directory, which has its own): never over
 * one of its own inputs, and never over an existing file unless it is the command's own earlier output
 * (recognised from the file itself) or {@code --overwrite} is given. A path that is a symbolic link is
 * refused even with {@code --overwrite}: writing through it would change a file the user did not name,
 * and replacing it would silently undo the user's link.
 */
final class OutputPaths {
    private OutputPaths() {
    }

    /** What a command recognises as its own earlier output, which it replaces without {@code --overwrite}. */
    record Own(String description, Predicate<Path> recognises) {
        /** Nothing is recognised: every existing file needs {@code --overwrite}. */
        static Own none(String why) {
            return new Own(why, file -> false);
        }
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

    /**
     * Checks, before the command does its work, that it may write {@code output}: a missing file, the
     * command's own earlier output, or any regular file with {@code --overwrite}.
     *
     * @param output the file the command will write
     * @param option the option that named it ({@code --out}), for the error
     * @param overwrite whether {@code --overwrite} was given
     * @param own what the command recognises as its own earlier output
     * @throws BackpropException ({@link ErrorCode#OUTPUT_EXISTS}, exit 2) naming the file, why it is kept
     *     and how to proceed
     */
    static void mayWrite(Path output, String option, boolean overwrite, Own own) {
        notALink(output, option);
        if (!Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS)) {
            throw new BackpropException(ErrorCode.OUTPUT_EXISTS, output + ": is a folder, not a file; give " + option
                    + " another path.");
        }
        if (!Files.isRegularFile(output, LinkOption.NOFOLLOW_LINKS)) {
            throw new BackpropException(ErrorCode.OUTPUT_EXISTS, output + ": is not a regular file (a device, a pipe or a "
                    + "socket); give " + option + " another path.");
        }
        if (overwrite || own.recognises().test(output)) {
            return;
        }
        throw new BackpropException(ErrorCode.OUTPUT_EXISTS, output + ": already exists and is not " + own.description()
                + "; it was left as it is. Pass --overwrite to replace it, or give " + option + " another path.");
    }

    /**
     * @param output a file or folder the command writes
     * @param option the option that named it, for the error
     * @throws BackpropException ({@link ErrorCode#OUTPUT_EXISTS}, exit 2) if it is a symbolic link, naming its target
     */
    static void notALink(Path output, String option) {
        if (!Files.isSymbolicLink(output)) {
            return;
        }
        String target;
        try {
            target = Files.readSymbolicLink(output).toString();
        } catch (IOException e) {
            target = "unreadable: " + IoErrors.reason(e);
        }
        throw new BackpropException(ErrorCode.OUTPUT_EXISTS, output + ": is a symbolic link (to " + target + "); backprop "
                + "neither writes through a link nor replaces one, even with --overwrite. Give " + option + " the path it "
                + "points to, or another path.");
    }

    /**
     * @param file any existing file
     * @return whether it is a model file the SDK wrote: a JSON object whose first field is
     *     {@code "format": "backprop-model"} (as {@link ModelFile} writes every model, from train, import or an application)
     */
    static boolean isModelFile(Path file) {
        try (JsonParser json = new JsonFactory().createParser(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS))) {
            return json.nextToken() == JsonToken.START_OBJECT && json.nextToken() == JsonToken.FIELD_NAME
                    && json.currentName().equals("format") && json.nextToken() == JsonToken.VALUE_STRING
                    && json.getText().equals(ModelFile.FORMAT);
        } catch (IOException e) {
            return false;
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
