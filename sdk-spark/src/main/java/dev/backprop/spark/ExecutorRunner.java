package dev.backprop.spark;

import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.plugin.PluginRegistry;

/** The experiment runner of an executor JVM: plugins discovered once, on first use, from its class path. */
final class ExecutorRunner {
    private ExecutorRunner() {
    }

    private static final class Holder {
        static final ExperimentRunner RUNNER = new ExperimentRunner(PluginRegistry.discover());
    }

    static ExperimentRunner get() {
        return Holder.RUNNER;
    }
}
