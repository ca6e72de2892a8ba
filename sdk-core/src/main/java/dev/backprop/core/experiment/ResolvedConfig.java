package dev.backprop.core.experiment;

import dev.backprop.core.config.ExperimentConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** The text of a run's {@code config.yaml}: the configuration with every default, and the versions that ran it. */
final class ResolvedConfig {
    private ResolvedConfig() {
    }

    static String yaml(ExperimentConfig config, Map<String, String> pluginVersions) {
        Map<String, Object> document = new LinkedHashMap<>(config.toMap());
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("sdk", Versions.sdk());
        versions.put("plugins", pluginVersions);
        document.put("versions", versions);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setWidth(120);
        return "# The resolved configuration of this run: every default filled in.\n" + new Yaml(options).dump(document);
    }
}
