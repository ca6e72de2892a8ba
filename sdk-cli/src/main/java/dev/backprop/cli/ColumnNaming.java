package dev.backprop.cli;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.data.CsvLoader;
import dev.backprop.onnx.OnnxImporter.Columns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The column and class names {@code import} gives a model ({@code --features}, {@code --targets},
 * {@code --classes}, {@code --header-from}), checked against the graph's inputs and outputs. Names not
 * given stay as the ONNX file's metadata has them, else {@code x1...}, {@code y1...}.
 *
 * @param features the input names, or null
 * @param targets the output names (regression), or the class column (a classifier), or null
 * @param classes the classes in output order, or null
 * @param headerFrom a CSV whose header gives the features (every column but the targets), or null
 */
record ColumnNaming(List<String> features, List<String> targets, List<String> classes, Path headerFrom)
        implements UnaryOperator<Columns> {

    @Override
    public Columns apply(Columns file) {
        int inputs = file.features().size();
        int outputs = file.targets().size();
        List<String> featureNames = features;
        String featuresOption = "--features";
        if (headerFrom != null) {
            if (features != null) {
                throw invalid("--features and --header-from both name the features; give one of them.");
            }
            if (targets == null) {
                throw invalid("--header-from needs --targets naming the target columns of " + headerFrom
                        + " (with --classes, --target naming the column that holds the class); every other column is a feature.");
            }
            List<String> header = CsvLoader.header(headerFrom, headerFrom.toString());
            for (String target : targets) {
                if (!header.contains(target)) {
                    throw invalid("--targets: the column '" + target + "' is not in the header of " + headerFrom + "; its columns are "
                            + String.join(", ", header) + ".");
                }
            }
            featureNames = header.stream().filter(c -> !targets.contains(c)).toList();
            featuresOption = "--header-from " + headerFrom + " (its columns but the targets)";
        }
        if (featureNames != null) {
            checkCount(featuresOption, "feature names", featureNames.size(), inputs, "inputs");
            checkNames(featuresOption, featureNames);
        }
        List<String> chosenFeatures = featureNames != null ? featureNames : file.features();
        if (classes != null || file.classes() != null && targets != null) {
            List<String> classNames = classes != null ? classes : file.classes();
            if (classes != null) {
                int needed = outputs == 1 ? 2 : outputs;
                if (classes.size() != needed) {
                    throw invalid("--classes: " + classes.size() + " classes given, but the graph has " + outputs + " output"
                            + (outputs == 1 ? ", which separates 2 classes" : "s, one per class") + "; give " + needed + ".");
                }
                checkNames("--classes", classes);
            }
            if (targets != null && targets.size() != 1) {
                throw invalid("--targets: " + targets.size() + " names given, but a classifier has one target: the column that holds "
                        + "the class (for example --target species).");
            }
            String label = targets != null ? targets.get(0) : file.label() != null ? file.label() : "class";
            checkNames("the feature names and the class column", concat(chosenFeatures, List.of(label)));
            return new Columns(chosenFeatures, outputs == 1 ? List.of(label) : classNames, classNames, label);
        }
        if (targets != null) {
            checkCount("--targets", "target names", targets.size(), outputs, "outputs");
            checkNames("--targets", targets);
        }
        List<String> chosenTargets = targets != null ? targets : file.targets();
        if (featureNames != null || targets != null) {
            checkNames("the feature and target names", concat(chosenFeatures, chosenTargets));
        }
        return new Columns(chosenFeatures, chosenTargets, file.classes(), file.label());
    }

    private static void checkCount(String option, String what, int given, int graph, String unit) {
        if (given != graph) {
            throw invalid(option + ": " + given + " " + what + " given, but the graph has " + graph + " " + unit + "; give " + graph + ".");
        }
    }

    private static void checkNames(String option, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (name.isBlank()) {
                throw invalid(option + ": an empty name; names are separated by commas, as in a,b,c.");
            }
            if (!seen.add(name)) {
                throw invalid(option + ": the name '" + name + "' appears twice; names must be unique.");
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static BackpropException invalid(String message) {
        return new BackpropException(ErrorCode.ARGUMENT_INVALID, message);
    }
}
