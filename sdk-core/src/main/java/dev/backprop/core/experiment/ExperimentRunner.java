package dev.backprop.core.experiment;

import dev.backprop.api.BackpropException;
import dev.backprop.api.EpochMetrics;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.LossFunction;
import dev.backprop.api.PluginKind;
import dev.backprop.api.TrainableParameter;
import dev.backprop.api.TrainingListener;
import dev.backprop.core.config.ConfigNode;
import dev.backprop.core.config.ConfigReader;
import dev.backprop.core.config.YamlDocuments;
import dev.backprop.core.config.ExperimentConfig;
import dev.backprop.core.config.ExperimentConfig.ActivationSpec;
import dev.backprop.core.config.ExperimentConfig.CsvSource;
import dev.backprop.core.config.ExperimentConfig.DenseSpec;
import dev.backprop.core.config.ExperimentConfig.InlineSource;
import dev.backprop.core.config.ExperimentConfig.LayerSpec;
import dev.backprop.core.config.ExperimentConfig.Normalization;
import dev.backprop.core.config.ExperimentConfig.SourceSpec;
import dev.backprop.core.config.ExperimentConfig.SyntheticSource;
import dev.backprop.core.data.CsvLoader;
import dev.backprop.core.data.LabelledData;
import dev.backprop.core.data.Normalizer;
import dev.backprop.core.data.Splits;
import dev.backprop.core.data.SyntheticData;
import dev.backprop.core.distributed.ClusterBackend;
import dev.backprop.core.distributed.ClusterBackends;
import dev.backprop.core.distributed.DataParallelJob;
import dev.backprop.core.distributed.ExperimentSource;
import dev.backprop.core.distributed.WorkerResult;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.model.Model;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.network.LayerException;
import dev.backprop.core.network.Network;
import dev.backprop.core.network.NetworkBuilder;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.Dataset;
import dev.backprop.core.training.Evaluation;
import dev.backprop.core.training.GradientExchange;
import dev.backprop.core.training.EarlyStopping;
import dev.backprop.core.training.Trainer;
import dev.backprop.core.training.TrainingState;
import dev.backprop.core.training.TrainingHistory;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs an experiment described by a YAML file or an {@link ExperimentConfig}: reads and checks the
 * configuration, loads the data, builds the network, trains it, and writes the run directory
 * ({@code config.yaml}, {@code metrics.csv}, {@code model.json}). The command line is a thin shell over
 * this class; embedding applications get it from the injector or construct it with a registry.
 *
 * <p>Thread-safe: every run has its own network, trainer and data.
 */
public final class ExperimentRunner {
    /** The MDC key holding the current run directory, for a per-run log file. */
    public static final String RUN_DIRECTORY_MDC_KEY = "backprop.runDir";

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final PluginRegistry registry;
    /** Registries extended with an experiment's plugin folders, built once per set of folders. */
    private final Map<List<Path>, PluginRegistry> extended = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param registry the plugins experiments may name
     */
    @Inject
    public ExperimentRunner(PluginRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** @return the plugins this runner resolves names against */
    public PluginRegistry plugins() {
        return registry;
    }

    /**
     * @param file a YAML experiment configuration
     * @param overrides {@code key.path=value} overrides
     * @return the checked configuration
     * @throws dev.backprop.core.config.ConfigException at the first problem
     */
    public ExperimentConfig load(Path file, List<String> overrides) {
        ConfigNode root = YamlDocuments.override(YamlDocuments.read(file, file.toString()), overrides);
        Path base = file.toAbsolutePath().getParent();
        String fallbackName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        PluginRegistry plugins = registryFor(ConfigReader.pluginFolders(root, base));
        return new ConfigReader(plugins).read(root, base, fallbackName);
    }

    /**
     * @param source an experiment's YAML text and overrides, as shipped to a cluster
     * @return the checked configuration
     * @throws dev.backprop.core.config.ConfigException at the first problem
     */
    public ExperimentConfig load(ExperimentSource source) {
        ConfigNode root = YamlDocuments.override(YamlDocuments.parse(source.text(), source.shownName()), source.overrides());
        Path base = Path.of(source.baseDirectory());
        PluginRegistry plugins = registryFor(ConfigReader.pluginFolders(root, base));
        ExperimentConfig config = new ConfigReader(plugins).read(root, base, source.fallbackName());
        if (!source.pluginVersions().isEmpty()) {
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
        return config;
    }

    /**
     * @param config an experiment
     * @return the version of each plugin it uses, keyed {@code "kind name"} as in a run's {@code config.yaml}
     */
    public Map<String, String> pluginVersions(ExperimentConfig config) {
        PluginRegistry registry = registryFor(config.pluginDirs());
        Map<String, String> plugins = new LinkedHashMap<>();
        plugins.put("loss " + config.loss().name(), versionOf(registry, PluginKind.LOSS, config.loss().name()));
        plugins.put("optimizer " + config.optimizer().name(), versionOf(registry, PluginKind.OPTIMIZER, config.optimizer().name()));
        for (LayerSpec layer : config.network().layers()) {
            if (layer instanceof DenseSpec dense) {
                plugins.put("initializer " + dense.init().name(), versionOf(registry, PluginKind.INITIALIZER, dense.init().name()));
            } else if (layer instanceof ActivationSpec act) {
                plugins.put("activation " + act.activation().name(), versionOf(registry, PluginKind.ACTIVATION, act.activation().name()));
            }
        }
        if (config.training().schedule() != null) {
            plugins.put("schedule " + config.training().schedule().name(),
                    versionOf(registry, PluginKind.SCHEDULE, config.training().schedule().name()));
        }
        return plugins;
    }

    /**
     * @param folders plugin folders an experiment names
     * @return the injected registry, extended with the plugins of those folders
     */
    public PluginRegistry registryFor(List<Path> folders) {
        if (folders.isEmpty()) {
            return registry;
        }
        return extended.computeIfAbsent(List.copyOf(folders), key -> {
            PluginRegistry.Builder builder = PluginRegistry.builder().include(registry);
            key.forEach(builder::discoverJars);
            return builder.build();
        });
    }

    /**
     * Loads the data and builds the network without training: everything {@code validate} checks.
     *
     * @param config the configuration
     * @return the prepared experiment
     * @throws BackpropException naming the place in the configuration at fault
     */
    public PreparedExperiment prepare(ExperimentConfig config) {
        PluginRegistry registry = registryFor(config.pluginDirs());
        var spec = config.data();
        LabelledData train = load(spec.train(), config.seed(), null, "data.train");
        Dataset[] parts = spec.validationSplit() > 0 || spec.testSplit() > 0
                ? Splits.split(train.dataset(), config.seed(), spec.validationSplit(), spec.testSplit())
                : new Dataset[] {train.dataset(), null, null};
        LabelledData validation = parts[1] != null ? train.with(parts[1])
                : spec.validation() != null ? load(spec.validation(), config.seed() + 1, train.classes(), "data.validation") : null;
        LabelledData test = parts[2] != null ? train.with(parts[2])
                : spec.test() != null ? load(spec.test(), config.seed() + 2, train.classes(), "data.test") : null;
        train = train.with(parts[0]);
        checkColumns(train, validation, spec.validation(), "data.validation");
        checkColumns(train, test, spec.test(), "data.test");

        Normalizer normalizer = null;
        if (spec.normalize() != Normalization.NONE) {
            normalizer = Normalizer.fit(spec.normalize() == Normalization.STANDARD ? "standard" : "min-max", train.dataset());
            train = train.with(normalizer.apply(train.dataset()));
            validation = validation == null ? null : validation.with(normalizer.apply(validation.dataset()));
            test = test == null ? null : test.with(normalizer.apply(test.dataset()));
        }
        Network network = buildNetwork(registry, config, train);
        LossFunction loss = registry.createLoss(config.loss().name(), config.loss().parameters());
        return new PreparedExperiment(config, network, loss, train, validation, test, normalizer);
    }

    /**
     * Reads, checks and runs an experiment file.
     *
     * @param file the YAML configuration
     * @param overrides {@code key.path=value} overrides
     * @param options where to write and what to print
     * @return what the run produced
     */
    public RunResult run(Path file, List<String> overrides, RunOptions options) {
        ExperimentConfig config = load(file, overrides);
        if (config.training().distributed() != null) {
            return runDistributed(config, ExperimentSource.read(file, overrides), options);
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
            return runDistributed(config, source, options);
        }
        return run(config, options);
    }

    /**
     * Trains and writes the run directory.
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
        PluginRegistry registry = registryFor(config.pluginDirs());
        TrainingState resume = null;
        if (options.resume() != null) {
            CheckpointFile.Checkpoint checkpoint = newestCheckpoint(options.resume(), registry);
            resume = checkpoint.state();
            LOG.info("Resuming {} after epoch {}{}", options.resume(), resume.epoch(),
                    resume.batch() > 0 ? ", batch " + resume.batch() : "");
        }
        Path runDir = options.runDirectory() != null ? options.runDirectory() : newRunDirectory(options.runsRoot(), config.name());
        createDirectories(runDir);
        MDC.put(RUN_DIRECTORY_MDC_KEY, runDir.toAbsolutePath().toString());
        try {
            LOG.info("Run directory: {}", runDir);
            AtomicFiles.writeString(runDir.resolve("config.yaml"), resolvedYaml(config));
            LabelledData train = prepared.train();
            Function<Network, Model> modelOf = network -> modelOf(prepared, network);
            var training = config.training();
            Trainer.Builder builder = trainerBuilder(registry, prepared)
                    .stopWhen(options.stopRequested())
                    .listener(new MetricsFiles(runDir, resume == null ? List.of() : resume.history()))
                    .listener(new EpochLog());
            // Without a checkpoint section a run still checkpoints when stopped on request, so it can resume.
            Checkpointer checkpointer = new Checkpointer(runDir, training.checkpoint() == null ? 1 : training.checkpoint().keep(),
                    prepared.network(), modelOf);
            builder.listener(checkpointer).checkpointEvery(training.checkpoint() == null ? 0 : training.checkpoint().every());
            options.listeners().forEach(builder::listener);
            TracePrinter trace = training.trace() && options.trace() != null ? new TracePrinter(options.trace()) : null;
            builder.inspector(trace);
            Trainer trainer = builder.build();

            long start = System.nanoTime();
            TrainingHistory history = trainer.fit(prepared.network(), train.dataset(),
                    prepared.validation() == null ? null : prepared.validation().dataset(), resume);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (history.interrupted()) {
                Model model = modelOf.apply(prepared.network());
                int epochsRun = history.epochs().size() - (resume == null ? 0 : resume.history().size());
                long examples = (long) train.dataset().size() * Math.max(epochsRun, 0);
                LOG.info("Stopped on request; newest checkpoint {}", checkpointer.last());
                return new RunResult(runDir, model, history, null, null, null, seconds, examples / Math.max(seconds, 1e-9),
                        checkpointer.last());
            }
            if (trace != null) {
                trace.finalOutputs(prepared.network(), train.dataset());
            }
            return finish(prepared, trainer, history, runDir, seconds, resume, checkpointer.last());
        } finally {
            MDC.remove(RUN_DIRECTORY_MDC_KEY);
        }
    }

    /** Evaluates the trained network, writes model.json and reports: the end of every run, local or distributed. */
    private static RunResult finish(PreparedExperiment prepared, Trainer trainer, TrainingHistory history, Path runDir,
            double seconds, TrainingState resume, Path lastCheckpoint) {
        LabelledData train = prepared.train();
        Model model = modelOf(prepared, prepared.network());
        int epochsRun = history.epochs().size() - (resume == null ? 0 : resume.history().size());
        long examples = (long) train.dataset().size() * Math.max(epochsRun, 0);
        Evaluation trainEval = trainer.evaluate(prepared.network(), train.dataset());
        Evaluation validationEval = prepared.validation() == null ? null : trainer.evaluate(prepared.network(), prepared.validation().dataset());
        Evaluation testEval = prepared.test() == null ? null : trainer.evaluate(prepared.network(), prepared.test().dataset());
        ModelFile.write(model, runDir.resolve("model.json"));
        LOG.info("Finished in {} s; model written to {}", String.format(java.util.Locale.ROOT, "%.2f", seconds), runDir.resolve("model.json"));
        return new RunResult(runDir, model, history, trainEval, validationEval, testEval, seconds,
                examples / Math.max(seconds, 1e-9), lastCheckpoint);
    }

    private static Model modelOf(PreparedExperiment prepared, Network network) {
        LabelledData train = prepared.train();
        return new Model(network, prepared.config().loss().name(), prepared.normalizer(), train.features(), train.targets(),
                train.classes(), train.label());
    }

    /** The trainer an experiment describes, without listeners: the same for a local run and every worker. */
    private static Trainer.Builder trainerBuilder(PluginRegistry registry, PreparedExperiment prepared) {
        ExperimentConfig config = prepared.config();
        var training = config.training();
        Trainer.Builder builder = Trainer.builder(registry)
                .loss(prepared.loss())
                .optimizer(config.optimizer().name(), config.optimizer().parameters())
                .epochs(training.epochs()).batchSize(training.batchSize()).shuffle(training.shuffle())
                .seed(config.seed()).classification(prepared.train().isClassification())
                .weightDecay(training.weightDecay());
        if (training.schedule() != null) {
            builder.schedule(training.schedule().name(), training.schedule().parameters());
        }
        if (training.earlyStopping() != null) {
            var e = training.earlyStopping();
            builder.earlyStopping(new EarlyStopping(e.monitor(), e.patience(), e.minDelta(), e.restoreBest()));
        }
        return builder;
    }

    /**
     * One worker of synchronous data-parallel training, as a cluster task runs it: rebuilds the
     * experiment from its text exactly as a local run would (same data, split, normalisation and initial
     * weights), then trains its slice of every batch, exchanging gradient sums with the other workers.
     *
     * @param source the experiment
     * @param exchange this worker's link to the others
     * @param threads how many threads this worker's passes use (results do not depend on it)
     * @return the trained weights, the history and the timings; every worker's weights are the same
     */
    public WorkerResult trainWorker(ExperimentSource source, GradientExchange exchange, int threads) {
        ExperimentConfig config = load(source);
        PreparedExperiment prepared = prepare(config);
        TimedExchange timed = new TimedExchange(exchange);
        Trainer trainer = trainerBuilder(registryFor(config.pluginDirs()), prepared).threads(threads).dataParallel(timed).build();
        long start = System.nanoTime();
        TrainingHistory history = trainer.fit(prepared.network(), prepared.train().dataset(),
                prepared.validation() == null ? null : prepared.validation().dataset());
        long nanos = System.nanoTime() - start;
        List<TrainableParameter> parameters = prepared.network().parameters();
        double[][] weights = new double[parameters.size()][];
        for (int p = 0; p < weights.length; p++) {
            weights[p] = parameters.get(p).values().clone();
        }
        return new WorkerResult(weights, WorkerResult.rows(history.epochs()), history.bestEpoch(), history.stoppedEarly(),
                timed.steps, nanos, timed.nanos);
    }

    /** Counts the exchanges and the time they take, for the per-step overhead in the log. */
    private static final class TimedExchange implements GradientExchange {
        private final GradientExchange delegate;
        private long steps;
        private long nanos;

        TimedExchange(GradientExchange delegate) {
            this.delegate = Objects.requireNonNull(delegate, "exchange");
        }

        @Override
        public int workers() {
            return delegate.workers();
        }

        @Override
        public int rank() {
            return delegate.rank();
        }

        @Override
        public double[] sumInRankOrder(double[] values) {
            long start = System.nanoTime();
            double[] total = delegate.sumInRankOrder(values);
            nanos += System.nanoTime() - start;
            steps++;
            return total;
        }

        @Override
        public void abort(Throwable cause) {
            delegate.abort(cause);
        }
    }

    /**
     * The driver's side of data-parallel training: the cluster trains, and this JVM writes the same run
     * directory a local run writes, from the weights and history the first worker sends back.
     */
    private RunResult runDistributed(ExperimentConfig config, ExperimentSource source, RunOptions options) {
        var distributed = config.training().distributed();
        if (options.resume() != null) {
            throw new BackpropException(ErrorCode.TRAINING_INVALID, "--resume continues a local run from its checkpoints; "
                    + "distributed runs (training.distributed) write no checkpoints.");
        }
        PreparedExperiment prepared = prepare(config); // checks everything here before the cluster starts
        PluginRegistry registry = registryFor(config.pluginDirs());
        ClusterBackend backend = ClusterBackends.find(distributed.master());
        Path runDir = options.runDirectory() != null ? options.runDirectory() : newRunDirectory(options.runsRoot(), config.name());
        // The run directory is written once the cluster has trained: a cluster that cannot start leaves nothing behind.
        LOG.info("Training on {} ({}) with {} partitions", distributed.master(), backend.name(),
                distributed.partitions() == 0 ? "the cluster's default" : distributed.partitions());
        long start = System.nanoTime();
        WorkerResult result;
        try {
            // The base registry's folders: the experiment's own plugins: folders travel in its text.
            ExperimentSource shipped = source.withPluginVersions(pluginVersions(config)).withPluginFoldersOf(this.registry);
            result = backend.train(new DataParallelJob(shipped, distributed.master(), distributed.partitions()), options.stopRequested());
        } catch (java.util.concurrent.CancellationException e) {
            LOG.info("Stopped on request; the cluster job was cancelled (distributed runs write no checkpoints)");
            return new RunResult(runDir, modelOf(prepared, prepared.network()), new TrainingHistory(List.of(), 0, false, true),
                    null, null, null, (System.nanoTime() - start) / 1e9, 0, null);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        createDirectories(runDir);
        MDC.put(RUN_DIRECTORY_MDC_KEY, runDir.toAbsolutePath().toString());
        try {
            LOG.info("Run directory: {}", runDir);
            AtomicFiles.writeString(runDir.resolve("config.yaml"), resolvedYaml(config));
            List<TrainableParameter> parameters = prepared.network().parameters();
            for (int p = 0; p < parameters.size(); p++) {
                System.arraycopy(result.weights()[p], 0, parameters.get(p).values(), 0, parameters.get(p).size());
            }
            List<EpochMetrics> epochs = result.epochs();
            List<TrainingListener> replay = new ArrayList<>();
            replay.add(new MetricsFiles(runDir, List.of()));
            replay.add(new EpochLog());
            replay.addAll(options.listeners());
            int batchSize = config.training().batchSize();
            replay.forEach(l -> l.onTrainingStart(config.training().epochs(), prepared.train().dataset().size(), batchSize));
            for (EpochMetrics m : epochs) {
                replay.forEach(l -> l.onEpochEnd(m));
            }
            replay.forEach(TrainingListener::onTrainingEnd);
            logOverhead(result, seconds);
            TrainingHistory history = new TrainingHistory(epochs, result.bestEpoch(), result.stoppedEarly(), false);
            return finish(prepared, trainerBuilder(registry, prepared).build(), history, runDir, seconds, null, null);
        } finally {
            MDC.remove(RUN_DIRECTORY_MDC_KEY);
        }
    }

    private static void logOverhead(WorkerResult result, double seconds) {
        if (result.steps() == 0) {
            return;
        }
        double perStepMs = result.trainingNanos() / 1e6 / result.steps();
        double exchangeMs = result.exchangeNanos() / 1e6 / result.steps();
        LOG.info(String.format(java.util.Locale.ROOT, "%d steps in %.2f s (%.2f s in training, the rest starting the job and "
                + "the workers): per step %.3f ms, of which %.3f ms computing and %.3f ms exchanging gradients (the fixed cost)",
                result.steps(), seconds, result.trainingNanos() / 1e9, perStepMs, perStepMs - exchangeMs, exchangeMs));
    }

    /**
     * @param runDirectory a run directory
     * @param registry where the model's plugins are resolved
     * @return its newest checkpoint
     * @throws BackpropException if it has none, or the newest is damaged (never falls back silently)
     */
    public static CheckpointFile.Checkpoint newestCheckpoint(Path runDirectory, PluginRegistry registry) {
        List<Path> checkpoints = Checkpointer.list(runDirectory.resolve(Checkpointer.FOLDER));
        if (checkpoints.isEmpty()) {
            throw new BackpropException(ErrorCode.IO_FAILED, runDirectory + ": no checkpoints to resume from (looked in "
                    + runDirectory.resolve(Checkpointer.FOLDER) + ").");
        }
        return CheckpointFile.read(checkpoints.get(checkpoints.size() - 1), registry);
    }

    private LabelledData load(SourceSpec source, long seed, List<String> knownClasses, String what) {
        try {
            if (source instanceof InlineSource inline) {
                return new LabelledData(Dataset.of(inline.inputs(), inline.targets()), columns("x", inline.inputs()[0].length),
                        columns("y", inline.targets()[0].length), null, null);
            }
            if (source instanceof CsvSource csv) {
                return (csv.label() != null ? CsvLoader.from(csv.path()).label(csv.label()) : CsvLoader.from(csv.path()).targets(csv.targets()))
                        .shownAs(csv.shownPath()).features(csv.features()).knownClasses(knownClasses).load();
            }
            SyntheticSource synthetic = (SyntheticSource) source;
            return SyntheticData.generate(synthetic.kind(), synthetic.samples(), synthetic.classes(), synthetic.noise(), seed);
        } catch (BackpropException e) {
            throw located(source.where(), e, what);
        }
    }

    private static List<String> columns(String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    private static void checkColumns(LabelledData train, LabelledData other, SourceSpec source, String what) {
        if (other == null) {
            return;
        }
        if (other.dataset().inputSize() != train.dataset().inputSize() || other.dataset().targetSize() != train.dataset().targetSize()) {
            throw located(source == null ? null : source.where(), new BackpropException(ErrorCode.SHAPE_MISMATCH, what + " has "
                    + other.dataset().inputSize() + " inputs and " + other.dataset().targetSize() + " targets but data.train has "
                    + train.dataset().inputSize() + " and " + train.dataset().targetSize() + "."), what);
        }
    }

    private static Network buildNetwork(PluginRegistry registry, ExperimentConfig config, LabelledData train) {
        var spec = config.network();
        int dataInputs = train.dataset().inputSize();
        if (spec.inputs() != null && spec.inputs() != dataInputs) {
            ConfigNode at = spec.where() == null ? null : spec.where().entries().get("inputs");
            throw located(at, new BackpropException(ErrorCode.SHAPE_MISMATCH, "the network has " + spec.inputs()
                    + " inputs but data.train has " + dataInputs + " input columns (" + String.join(", ", train.features()) + ")."), "network.inputs");
        }
        NetworkBuilder builder = NetworkBuilder.create(registry, dataInputs).seed(config.seed());
        int width = dataInputs;
        for (LayerSpec layer : spec.layers()) {
            try {
                if (layer instanceof DenseSpec dense) {
                    builder.dense(dense.units(), dense.bias(), dense.init().name(), dense.init().parameters());
                    width = dense.units();
                } else if (layer instanceof ActivationSpec activation) {
                    builder.activation(activation.activation().name(), activation.activation().parameters());
                } else if (layer instanceof ExperimentConfig.DropoutSpec dropout) {
                    builder.dropout(dropout.rate());
                }
            } catch (BackpropException e) {
                throw located(layer.where(), e, "network.layers");
            }
        }
        Network network;
        try {
            network = builder.build();
        } catch (LayerException e) {
            throw located(spec.layers().get(e.layerIndex()).where(), e, "network.layers[" + e.layerIndex() + "]");
        }
        int targets = train.dataset().targetSize();
        if (width != targets) {
            LayerSpec last = spec.layers().get(spec.layers().size() - 1);
            throw located(last.where(), new BackpropException(ErrorCode.SHAPE_MISMATCH, "the network ends with " + width
                    + " outputs but data.train has " + targets + " target columns"
                    + (train.classes() != null ? " (one per class: " + String.join(", ", train.classes()) + ")" : "")
                    + "; make the last dense layer " + targets + " units wide."), "network.layers");
        }
        return network;
    }

    private static BackpropException located(ConfigNode where, BackpropException e, String what) {
        if (where != null) {
            return where.relocate(e);
        }
        return e.getMessage().contains(what) ? e : new BackpropException(e.code(), what + ": " + e.detail(), e);
    }

    private static Path newRunDirectory(Path root, String name) {
        String stamp = LocalDateTime.now().format(STAMP);
        Path candidate = root.resolve(name + "-" + stamp);
        for (int i = 2; Files.exists(candidate); i++) {
            candidate = root.resolve(name + "-" + stamp + "-" + i);
        }
        return candidate;
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BackpropException(ErrorCode.OUTPUT_FAILED, dir + ": could not create the run directory: " + e.getMessage(), e);
        }
    }

    /** The resolved configuration plus the versions that produced the run. */
    private String resolvedYaml(ExperimentConfig config) {
        Map<String, Object> document = new LinkedHashMap<>(config.toMap());
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("sdk", Versions.sdk());
        versions.put("plugins", pluginVersions(config));
        document.put("versions", versions);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setWidth(120);
        return "# The resolved configuration of this run: every default filled in.\n" + new Yaml(options).dump(document);
    }

    private static String versionOf(PluginRegistry registry, PluginKind kind, String name) {
        return Versions.of(registry.provider(kind, name).getClass());
    }

    /** One plain log line per epoch, with five significant digits (metrics.csv and metrics.jsonl keep every digit). */
    static final class EpochLog implements TrainingListener {
        @Override
        public void onEpochEnd(EpochMetrics m) {
            LOG.info(line(m));
        }

        static String line(EpochMetrics m) {
            StringBuilder text = new StringBuilder("epoch ").append(m.epoch()).append(": train loss ").append(digits(m.trainLoss()));
            if (!Double.isNaN(m.trainAccuracy())) {
                text.append(", train accuracy ").append(digits(m.trainAccuracy()));
            }
            if (!Double.isNaN(m.validationLoss())) {
                text.append(", validation loss ").append(digits(m.validationLoss()));
            }
            if (!Double.isNaN(m.validationAccuracy())) {
                text.append(", validation accuracy ").append(digits(m.validationAccuracy()));
            }
            return text.append(String.format(java.util.Locale.ROOT, " (%.3f s)", m.seconds())).toString();
        }

        /** Five significant digits, without a trailing exponent for ordinary magnitudes: 0.12346, 1.2346e+43. */
        static String digits(double value) {
            return String.format(java.util.Locale.ROOT, "%.5g", value);
        }
    }
}
