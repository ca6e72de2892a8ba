package dev.backprop.cli;

import dev.backprop.core.model.Model;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.onnx.OnnxExporter;
import dev.backprop.onnx.Precision;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code backprop export --model M --out F.onnx}: a saved model as an ONNX file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a saved model as an ONNX file, for ONNX Runtime and other ONNX tools. See docs/onnx.md.")
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model.json written by train or import.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "The .onnx file to write; an existing file is replaced only if this SDK exported it.")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing --out file even if it is not an ONNX file this SDK exported (a symbolic link is never replaced).")
    boolean overwrite;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "float32",
            description = "float32 (default, what serving stacks expect) or float64 (the SDK's own precision).")
    String precision;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    BackpropCommand root;

    @Override
    public Integer call() {
        OutputPaths.distinctFromInputs(spec, out, "--out", model);
        OutputPaths.mayWrite(out, "--out", overwrite, new OutputPaths.Own("an ONNX file this SDK exported (producer_name "
                + OnnxExporter.PRODUCER + ")", OnnxExporter::isExportedFile));
        Precision chosen;
        try {
            chosen = Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--precision: " + e.getMessage() + ".");
        }
        if (model.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
            throw new ParameterException(spec.commandLine(), "--model: expected a model.json, got the ONNX file '" + model
                    + "' (convert one with: backprop import --onnx FILE --out model.json).");
        }
        PluginRegistry registry = Sdk.injector(root.pluginDirs).getInstance(PluginRegistry.class);
        Model loaded = ModelFile.read(model, registry);
        OnnxExporter.write(loaded, chosen, out);
        PrintWriter writer = spec.commandLine().getOut();
        writer.printf("wrote %s (%s, ONNX opset %d, IR version %d): input [N, %d], output [N, %d]%s%n", out, chosen.label(),
                OnnxExporter.OPSET, OnnxExporter.IR_VERSION, loaded.network().inputSize(), loaded.network().outputSize(),
                loaded.isClassifier() ? ", class [N], label [N]" : "");
        writer.flush();
        return Main.OK;
    }
}
