package dev.backprop.spark;

import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The experiment runners of an executor JVM: plugins discovered once from its class path, plus the
 * plugin folders the driver loaded (its {@code --plugins}), one runner per set of folders.
 */
final class ExecutorRunner {
    private static final Map<List<String>, ExperimentRunner> RUNNERS = new ConcurrentHashMap<>();

    private ExecutorRunner() {
    }

    private static final class ClassPath {
        static final PluginRegistry REGISTRY = PluginRegistry.discover();
    }

    /**
     * @param folders the driver's plugin folders, absolute
     * @return a runner whose registry has the class path's plugins and those folders'
     */
    static ExperimentRunner get(List<String> folders) {
        return RUNNERS.computeIfAbsent(List.copyOf(folders), key -> {
            PluginRegistry.Builder builder = PluginRegistry.builder().include(ClassPath.REGISTRY);
            key.forEach(folder -> builder.discoverJars(Path.of(folder)));
            return new ExperimentRunner(builder.build());
        });
    }
}
