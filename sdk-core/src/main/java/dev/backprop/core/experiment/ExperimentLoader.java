package dev.backprop.core.experiment;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.PluginKind;
import dev.backprop.core.config.ExperimentConfig;
import dev.backprop.core.config.ExperimentConfig.LayerSpec;
import dev.backprop.core.config.ExperimentSource;
import dev.backprop.core.config.yaml.ConfigNode;
import dev.backprop.core.config.yaml.ConfigReader;
import dev.backprop.core.config.yaml.YamlDocuments;
import dev.backprop.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loading: a YAML file (or the same text shipped to a cluster) plus its {@code --set} overrides and plugin
 * folders becomes a checked {@link ExperimentConfig}. The registry of an experiment that names plugin
 * folders is built once per set of folders and shared.
 */
final class ExperimentLoader {
    private final PluginRegistry registry;
    private final Map<List<Path>, PluginRegistry> extended = new ConcurrentHashMap<>();

    ExperimentLoader(PluginRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    PluginRegistry plugins() {
        return registry;
    }

    ExperimentConfig load(Path file, List<String> overrides) {
        ConfigNode root = YamlDocuments.override(YamlDocuments.read(file, file.toString()), overrides);
        Path base = file.toAbsolutePath().getParent();
        String fallbackName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return read(root, base, fallbackName);
    }

    ExperimentConfig load(ExperimentSource source) {
        ConfigNode root = YamlDocuments.override(YamlDocuments.parse(source.text(), source.shownName()), source.overrides());
        ExperimentConfig config = read(root, Path.of(source.baseDirectory()), source.fallbackName());
        checkVersions(source, config);
        return config;
    }

    private ExperimentConfig read(ConfigNode root, Path base, String fallbackName) {
        PluginRegistry plugins = registryFor(ConfigReader.pluginFolders(root, base));
        return new ConfigReader(plugins).read(root, base, fallbackName);
    }

    /** A cluster executor refuses to run with plugin versions other than the driver's. */
    private void checkVersions(ExperimentSource source, ExperimentConfig config) {
        if (source.pluginVersions().isEmpty()) {
            return;
        }
        Map<String, String> here = pluginVersions(config);
        for (Map.Entry<String, String> expected : source.pluginVersions().entrySet()) {
            String found = here.get(expected.getKey());
            if (found != null && !found.equals(expected.getValue())) {
                throw new BackpropException(ErrorCode.CLUSTER_FAILED, source.shownName() + ": the " + expected.getKey()
                        + " plugin is version " + found + " here but " + expected.getValue() + " where the run was "
                        + "started; give every executor the same plugin jars (docs/distributed.md).");
            }
        }
    }

    Map<String, String> pluginVersions(ExperimentConfig config) {
        PluginRegistry plugins = registryFor(config.pluginDirs());
        Map<String, String> versions = new LinkedHashMap<>();
        put(versions, plugins, PluginKind.LOSS, config.loss().name());
        put(versions, plugins, PluginKind.OPTIMIZER, config.optimizer().name());
        for (LayerSpec layer : config.network().layers()) {
            layer.plugins().forEach((name, kind) -> put(versions, plugins, kind, name));
        }
        if (config.training().schedule() != null) {
            put(versions, plugins, PluginKind.SCHEDULE, config.training().schedule().name());
        }
        return versions;
    }

    private static void put(Map<String, String> versions, PluginRegistry plugins, PluginKind kind, String name) {
        versions.put(kind.label() + " " + name, Versions.of(plugins.provider(kind, name).getClass()));
    }

    PluginRegistry registryFor(List<Path> folders) {
        if (folders.isEmpty()) {
            return registry;
        }
        return extended.computeIfAbsent(List.copyOf(folders), key -> {
            PluginRegistry.Builder builder = PluginRegistry.builder().include(registry);
            key.forEach(builder::discoverJars);
            return builder.build();
        });
    }
}
