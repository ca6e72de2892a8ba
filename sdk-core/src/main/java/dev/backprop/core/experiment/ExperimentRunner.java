package dev.backprop.core.experiment;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.config.ExperimentConfig;
import dev.backprop.core.data.RowsSummary;
import dev.backprop.core.training.Dataset;
import dev.backprop.core.config.ExperimentSource;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.Trainer;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs an experiment described by a YAML file or an {@link ExperimentConfig}. Each step has its own class
 * in this package: loading (file, {@code --set} overrides and plugin folders to a checked configuration),
 * assembling (data, splits, normalisation, network, trainer), the local run and the driver's side of a
 * distributed one; the run directory's files are written by {@code dev.backprop.core.rundir}. The
 * command line is a thin shell over this class; embedding applications get it from the injector or
 * construct it with a registry.
 *
 * <p>Thread-safe: every run has its own network, trainer and data.
 */
public final class ExperimentRunner {
    /** The MDC key holding the current run directory, for a per-run log file. */
    public static final String RUN_DIRECTORY_MDC_KEY = "backprop.runDir";

    private final ExperimentLoader loader;

    /**
     * @param registry the plugins experiments may name
     */
    @Inject
    public ExperimentRunner(PluginRegistry registry) {
        this.loader = new ExperimentLoader(registry);
    }

    /** @return the plugins this runner resolves names against */
    public PluginRegistry plugins() {
        return loader.plugins();
    }

    /**
     * @param file a YAML experiment configuration
     * @param overrides {@code key.path=value} overrides
     * @return the checked configuration
     * @throws dev.backprop.core.config.ConfigException at the first problem
     */
    public ExperimentConfig load(Path file, List<String> overrides) {
        return loader.load(file, overrides);
    }

    /**
     * @param source an experiment's YAML text and overrides, as shipped to a cluster; its plugin versions,
     *     if it carries any, must match the ones found here
     * @return the checked configuration
     * @throws dev.backprop.core.config.ConfigException at the first problem
     */
    public ExperimentConfig load(ExperimentSource source) {
        return loader.load(source);
    }

    /**
     * @param config an experiment
     * @return the version of each plugin it uses, keyed {@code "kind name"} as in a run's {@code config.yaml}
     */
    public Map<String, String> pluginVersions(ExperimentConfig config) {
        return loader.pluginVersions(config);
    }

    /**
     * @param folders plugin folders an experiment names
     * @return the injected registry, extended with the plugins of those folders
     */
    public PluginRegistry registryFor(List<Path> folders) {
        return loader.registryFor(folders);
    }

    /**
     * Loads the data and builds the network without training: everything {@code validate} checks.
     *
     * @param config the configuration
     * @return the prepared experiment
     * @throws BackpropException naming the place in the configuration at fault
     */
    public PreparedExperiment prepare(ExperimentConfig config) {
        return ExperimentAssembler.prepare(config, registryFor(config.pluginDirs()));
    }

    /**
     * Prepares an experiment whose training rows stay on the cluster (a {@code parquet} or {@code dataframe}
     * source): its network, model and normalizer come from the summary of a distributed pass.
     *
     * @param config the configuration; its {@code data.train} is a Spark-read source
     * @param summary what the distributed pass found
     * @param shard this worker's shard of the rows, as read (not yet normalised), or {@code null} on the driver
     * @return the prepared experiment
     */
    public PreparedExperiment prepare(ExperimentConfig config, RowsSummary summary, Dataset shard) {
        return ExperimentAssembler.prepare(config, registryFor(config.pluginDirs()), java.util.Objects.requireNonNull(summary, "summary"),
                shard);
    }

    /**
     * @param prepared a prepared experiment
     * @return a builder of the trainer its configuration describes (loss, optimizer, schedule, early
     *     stopping, ...), without listeners
     */
    public Trainer.Builder trainer(PreparedExperiment prepared) {
        return ExperimentAssembler.trainer(registryFor(prepared.config().pluginDirs()), prepared);
    }

    /**
     * Reads, checks and runs an experiment file; with {@code training.distributed} it trains on the cluster.
     *
     * @param file the YAML configuration
     * @param overrides {@code key.path=value} overrides
     * @param options where to write and what to print
     * @return what the run produced
     */
    public RunResult run(Path file, List<String> overrides, RunOptions options) {
        ExperimentConfig config = load(file, overrides);
        if (config.training().distributed() != null) {
            return runOnCluster(config, ExperimentSource.read(file, overrides), options);
        }
        return run(config, options);
    }

    /**
     * Runs an experiment given as text, the form in which it crosses the wire; with
     * {@code training.distributed} it trains on the cluster.
     *
     * @param source the experiment
     * @param options where to write and what to print
     * @return what the run produced
     */
    public RunResult run(ExperimentSource source, RunOptions options) {
        ExperimentConfig config = load(source);
        if (config.training().distributed() != null) {
            return runOnCluster(config, source, options);
        }
        return run(config, options);
    }

    /**
     * Trains in this JVM and writes the run directory.
     *
     * @param config the configuration
     * @param options where to write and what to print
     * @return what the run produced
     */
    public RunResult run(ExperimentConfig config, RunOptions options) {
        if (config.training().distributed() != null) {
            throw new BackpropException(ErrorCode.TRAINING_INVALID, "training.distributed ships the experiment to the cluster "
                    + "as YAML text; run it with run(Path, ...) or run(ExperimentSource, ...), not from an ExperimentConfig.");
        }
        PreparedExperiment prepared = prepare(config);
        return LocalRun.run(prepared, registryFor(config.pluginDirs()), ResolvedConfig.yaml(config, pluginVersions(config)), options);
    }

    private RunResult runOnCluster(ExperimentConfig config, ExperimentSource source, RunOptions options) {
        // checks everything here before the cluster trains; rows that stay on the cluster are summarised there first
        PreparedExperiment prepared = config.data().train() instanceof ExperimentConfig.SparkSource
                ? prepare(config, ClusterRun.training().summarise(this, config), null)
                : prepare(config);
        return ClusterRun.run(this, prepared, registryFor(config.pluginDirs()), source,
                ResolvedConfig.yaml(config, pluginVersions(config)), options);
    }
}
