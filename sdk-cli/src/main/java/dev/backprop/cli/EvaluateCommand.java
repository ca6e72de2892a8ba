package dev.backprop.cli;

import dev.backprop.core.data.CsvLoader;
import dev.backprop.core.data.LabelledData;
import dev.backprop.core.model.Model;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.ConfusionMatrix;
import dev.backprop.core.training.Dataset;
import dev.backprop.core.training.Evaluation;
import dev.backprop.core.training.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backprop evaluate --model M --data F}: loss, accuracy and per-class metrics of a saved model. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Measure a saved model on a CSV file with the same columns as its training data.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model.json written by train.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "CSV", description = "A CSV file with the model's feature and label/target columns.")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write confusion.png (default: the model's folder); "
            + "an existing confusion.png is replaced only if evaluate drew it.")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing confusion.png that evaluate did not draw (a symbolic link is never replaced).")
    boolean overwrite;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    BackpropCommand root;

    static final OutputPaths.Own DRAWN = new OutputPaths.Own("a confusion matrix evaluate drew (a PNG with the text Software="
            + Plots.SOFTWARE + ")", Plots::isDrawnFile);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (this.out != null) {
            OutputPaths.notALink(this.out, "--out");
            try {
                java.nio.file.Files.createDirectories(this.out);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // createDirectories names what stands in the way: --out itself, or a file among its parents.
                throw new dev.backprop.api.BackpropException(dev.backprop.api.ErrorCode.OUTPUT_FAILED, this.out + ": --out is the "
                        + "folder confusion.png is drawn in, but " + (e.getFile() == null ? this.out : e.getFile())
                        + " is a file, not a directory; give a folder (it is created if missing).", e);
            } catch (java.io.IOException e) {
                throw new dev.backprop.api.BackpropException(dev.backprop.api.ErrorCode.OUTPUT_FAILED, this.out + ": could not create the "
                        + "folder: " + dev.backprop.core.io.IoErrors.reason(e) + ".", e);
            }
        }
        PluginRegistry registry = Sdk.injector(root.pluginDirs).getInstance(PluginRegistry.class);
        Model loaded = ModelFile.read(model, registry);
        boolean drawn = loaded.isClassifier() && loaded.classes().size() <= Plots.MAX_DRAWN_CLASSES;
        if (drawn) {
            OutputPaths.mayWrite((this.out != null ? this.out : model.toAbsolutePath().getParent()).resolve("confusion.png"), "--out",
                    overwrite, DRAWN);
        }
        CsvLoader.Builder csv = CsvLoader.from(data).features(loaded.features()).knownClasses(loaded.classes());
        LabelledData labelled = (loaded.isClassifier() ? csv.label(loaded.label()) : csv.targets(loaded.targets())).load();
        for (int r = 0; r < labelled.dataset().size(); r++) {
            loaded.predictFinite(labelled.dataset().input(r), model + ": " + data + ", data row " + (r + 1));
        }
        Dataset examples = loaded.normalizer() == null ? labelled.dataset() : loaded.normalizer().apply(labelled.dataset());
        Trainer evaluator = Trainer.builder(registry).loss(loaded.loss()).classification(loaded.isClassifier()).build();
        Evaluation evaluation = evaluator.evaluate(loaded.network(), examples);
        out.printf(Locale.ROOT, "%d examples, mean %s loss %.6g%n", evaluation.examples(), loaded.loss(), evaluation.meanLoss());
        if (loaded.isClassifier()) {
            out.printf(Locale.ROOT, "accuracy %.2f%%%n%n", 100 * evaluation.accuracy());
            ConfusionMatrix matrix = ConfusionMatrix.of(loaded.network(), examples, loaded.classes());
            out.print(matrix.format());
            Path folder = this.out != null ? this.out : model.toAbsolutePath().getParent();
            if (!drawn) {
                spec.commandLine().getErr().println("warning: " + folder.resolve("confusion.png") + " was not drawn: the model has "
                        + loaded.classes().size() + " classes, more than the " + Plots.MAX_DRAWN_CLASSES + " a confusion matrix is drawn "
                        + "for (the cells would be too small to read).");
                return Main.OK;
            }
            try {
                Plots.confusion(matrix, folder.resolve("confusion.png"));
                out.println("confusion matrix drawn in " + folder.resolve("confusion.png"));
            } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
                spec.commandLine().getErr().println("warning: " + folder.resolve("confusion.png") + " was not drawn: "
                        + Plots.reason(e));
            }
        }
        return Main.OK;
    }
}
