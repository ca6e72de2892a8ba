package dev.backprop.cli;

import dev.backprop.core.model.Model;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.onnx.OnnxImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backprop import --onnx F.onnx --out model.json}: a feed-forward ONNX graph as a model file. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Read a feed-forward ONNX graph (Gemm/MatMul+Add layers, standard activations) and write it as a model.json. "
                + "See docs/onnx.md.")
final class ImportCommand implements Callable<Integer> {

    @Option(names = "--onnx", required = true, paramLabel = "FILE", description = "The .onnx file to read.")
    Path onnx;

    @Option(names = "--out", required = true, paramLabel = "MODEL",
            description = "The model.json to write; an existing file is replaced only if it is a model file the SDK wrote.")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing --out file even if it is not a model file the SDK wrote (a symbolic link is never replaced).")
    boolean overwrite;

    @Option(names = "--features", split = ",", paramLabel = "NAME",
            description = "The input column names, in the graph's input order (default: the file's backprop metadata, else x1, x2, ...).")
    java.util.List<String> features;

    @Option(names = {"--targets", "--target"}, split = ",", paramLabel = "NAME",
            description = "The output column names (default: the metadata's, else y1, y2, ...); for a classifier, the column that "
                    + "holds the class.")
    java.util.List<String> targets;

    @Option(names = "--classes", split = ",", paramLabel = "CLASS",
            description = "Makes the model a classifier with these classes, in output order (two for a single output).")
    java.util.List<String> classes;

    @Option(names = "--header-from", paramLabel = "CSV",
            description = "Read the names from this CSV's header: the --targets columns are the targets (or the class column), every "
                    + "other column is a feature.")
    Path headerFrom;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    BackpropCommand root;

    /** Any model file the SDK wrote is replaced: it carries the format marker, and import writes nothing else. */
    static final OutputPaths.Own MODEL_FILE = new OutputPaths.Own("a model file the SDK wrote (\"format\": \"backprop-model\")",
            OutputPaths::isModelFile);

    @Override
    public Integer call() {
        OutputPaths.distinctFromInputs(spec, out, "--out", onnx, headerFrom);
        OutputPaths.mayWrite(out, "--out", overwrite, MODEL_FILE);
        PluginRegistry registry = Sdk.injector(root.pluginDirs).getInstance(PluginRegistry.class);
        Model model = OnnxImporter.read(onnx, registry, new ColumnNaming(features, targets, classes, headerFrom));
        ModelFile.write(model, out);
        PrintWriter writer = spec.commandLine().getOut();
        writer.printf("read %s: %s%nwrote %s%n", onnx, model.network(), out);
        writer.flush();
        return Main.OK;
    }
}
