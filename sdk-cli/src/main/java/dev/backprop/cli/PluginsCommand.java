package dev.backprop.cli;

import dev.backprop.api.ParameterSpec;
import dev.backprop.api.PluginKind;
import dev.backprop.core.plugin.LoadFailure;
import dev.backprop.core.plugin.PluginDescriptor;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop plugins}: every discovered plugin by kind and name, with parameters and origin. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List every discovered plugin by kind and name, with its parameters, defaults and origin.")
final class PluginsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    BackpropCommand root;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PluginRegistry registry = Sdk.injector(root.pluginDirs).getInstance(PluginRegistry.class);
        for (PluginKind kind : PluginKind.values()) {
            out.println(kind.label() + " plugins:");
            for (PluginDescriptor plugin : registry.descriptors(kind)) {
                out.printf("  %-22s %s%n", plugin.name(), plugin.provider().description());
                for (ParameterSpec parameter : plugin.provider().parameters()) {
                    out.printf("      %-18s %s%s. %s%n", parameter.name(), parameter.type().description(),
                            parameter.defaultValue() != null ? ", default " + parameter.defaultValue()
                                    : parameter.required() ? ", required" : ", optional",
                            parameter.description());
                }
                out.printf("      from %s (%s)%n", plugin.origin(), plugin.providerClass());
            }
        }
        for (LoadFailure failure : registry.failures()) {
            out.println("failed to load " + failure.describe());
        }
        return registry.failures().isEmpty() ? Main.OK : Main.RUN_FAILED;
    }
}
