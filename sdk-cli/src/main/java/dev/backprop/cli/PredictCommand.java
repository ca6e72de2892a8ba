package dev.backprop.cli;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.data.CsvLoader;
import dev.backprop.core.data.Numbers;
import dev.backprop.core.io.IoErrors;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.model.Model;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.Accuracy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backprop predict --model M --input 1,2}: outputs (and classes) of a saved model. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Print a saved model's outputs (and predicted class) for inputs given inline or in a CSV file.")
final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model.json written by train or import.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Inputs inputs;

    static final class Inputs {
        @Option(names = "--input", paramLabel = "X1,X2,...", description = "One example as comma-separated numbers (repeatable).")
        List<String> inline = new ArrayList<>();

        @Option(names = "--input-file", paramLabel = "CSV", description = "A CSV file with (at least) the model's feature columns.")
        Path file;
    }

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write the predictions to FILE (CSV, or JSON for a .json name or with --format json): "
                    + "one row per example with its row number, each output by target name and, for a classifier, the class.")
    Path output;

    @Option(names = "--overwrite", description = "Replace an existing --output file (a symbolic link is never replaced).")
    boolean overwrite;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "csv or json: machine-readable predictions (to standard output, or to --output).")
    String format;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    BackpropCommand root;

    @Override
    public Integer call() {
        OutputPaths.distinctFromInputs(spec, output, "--output", model, inputs.file);
        if (output != null) {
            // A CSV or JSON of predictions carries no mark that a user's file could not carry too.
            OutputPaths.mayWrite(output, "--output", overwrite, OutputPaths.Own.none("recognisable as earlier predictions "
                    + "(plain CSV and JSON carry no mark of who wrote them)"));
        }
        PrintWriter out = spec.commandLine().getOut();
        PluginRegistry registry = Sdk.injector(root.pluginDirs).getInstance(PluginRegistry.class);
        Model loaded = ModelFile.read(model, registry);
        List<double[]> rows = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (inputs.file != null) {
            rows.addAll(List.of(CsvLoader.loadFeatures(inputs.file, inputs.file.toString(), loaded.features())));
            for (int r = 0; r < rows.size(); r++) {
                where.add(inputs.file + ", data row " + (r + 1));
            }
        } else {
            for (String text : inputs.inline) {
                rows.add(parse(text, loaded.features().size()));
                where.add("--input '" + IoErrors.excerpt(text) + "'");
            }
        }
        // Every row is checked before any is printed: a bad row fails the command, as in evaluate.
        String chosen = chosenFormat();
        List<double[]> outputs = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            double[] prediction = loaded.predictFinite(rows.get(r), model + ": " + where.get(r));
            outputs.add(prediction);
            if (loaded.isClassifier()) {
                int k = prediction.length == 1 ? (prediction[0] >= 0.5 ? 1 : 0) : Accuracy.argMax(prediction, 0, prediction.length);
                classes.add(loaded.classes().get(k));
            }
        }
        if (chosen == null) {
            for (int r = 0; r < rows.size(); r++) {
                out.println(Arrays.toString(rows.get(r)) + " => " + Arrays.toString(outputs.get(r))
                        + (loaded.isClassifier() ? " -> " + classes.get(r) : ""));
            }
            return Main.OK;
        }
        String text = chosen.equals("json") ? PredictionFormats.json(loaded, outputs, classes) : PredictionFormats.csv(loaded, outputs, classes);
        if (output == null) {
            out.print(text);
            out.flush();
        } else {
            AtomicFiles.writeString(output, text);
            out.println("wrote " + rows.size() + " predictions to " + output);
        }
        return Main.OK;
    }

    /** @return csv, json, or {@code null} for the human-readable lines */
    private String chosenFormat() {
        if (format != null) {
            String f = format.toLowerCase(java.util.Locale.ROOT);
            if (!f.equals("csv") && !f.equals("json")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format: expected csv or json, got '" + format + "'.");
            }
            return f;
        }
        if (output != null) {
            return output.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json") ? "json" : "csv";
        }
        return null;
    }

    /** What separates values where a comma was meant: a semicolon (a comma-decimal locale's CSV), a tab, a bar or spaces. */
    private static final java.util.regex.Pattern OTHER_SEPARATOR = java.util.regex.Pattern.compile("[^\\s;|]+([\\s;|]+[^\\s;|]+)+");

    private static double[] parse(String text, int expected) {
        if (text.isBlank()) {
            throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "--input '" + IoErrors.excerpt(text) + "' has no values but the model "
                    + "expects " + expected + ", separated by commas (--input " + example(expected) + ").");
        }
        String[] cells = text.split(",", -1);
        double[] row = new double[cells.length];
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i].trim();
            java.util.OptionalDouble value = Numbers.parse(cell);
            if (value.isEmpty() && OTHER_SEPARATOR.matcher(cell).matches()) {
                throw new BackpropException(ErrorCode.DATA_INVALID, "--input '" + IoErrors.excerpt(text) + "': '" + IoErrors.excerpt(cell)
                        + "' is not a number (values are separated by commas: --input " + example(expected) + ").");
            }
            if (value.isEmpty()) {
                throw new BackpropException(ErrorCode.DATA_INVALID, "--input '" + IoErrors.excerpt(text) + "': value " + (i + 1)
                        + " ('" + IoErrors.excerpt(cell) + "') is not a finite decimal number such as 5.1 or -2e-3.");
            }
            row[i] = value.getAsDouble();
        }
        if (cells.length != expected) {
            throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "--input '" + IoErrors.excerpt(text) + "' has " + cells.length
                    + " values but the model expects " + expected + ".");
        }
        return row;
    }

    /** @return {@code 0.5,0.5} for two values, {@code 0.5,0.5,...} for more */
    private static String example(int values) {
        return values <= 1 ? "0.5" : values == 2 ? "0.5,0.5" : "0.5,0.5,...";
    }
}
