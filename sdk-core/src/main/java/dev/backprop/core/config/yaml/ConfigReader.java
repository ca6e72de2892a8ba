package dev.backprop.core.config.yaml;

import dev.backprop.api.BackpropException;
import dev.backprop.api.PluginKind;
import dev.backprop.api.PluginParameterException;
import dev.backprop.api.PluginParameters;
import dev.backprop.api.PluginProvider;
import dev.backprop.core.config.ConfigException;
import dev.backprop.core.config.ExperimentConfig;
import dev.backprop.core.config.ExperimentConfig.ActivationSpec;
import dev.backprop.core.config.MasterUrl;
import dev.backprop.core.config.ExperimentConfig.CsvSource;
import dev.backprop.core.config.ExperimentConfig.DataSpec;
import dev.backprop.core.config.ExperimentConfig.CheckpointSpec;
import dev.backprop.core.config.ExperimentConfig.DistributedSpec;
import dev.backprop.core.config.ExperimentConfig.DenseSpec;
import dev.backprop.core.config.ExperimentConfig.DropoutSpec;
import dev.backprop.core.config.ExperimentConfig.EarlyStoppingSpec;
import dev.backprop.core.config.ExperimentConfig.InlineSource;
import dev.backprop.core.config.ExperimentConfig.LayerSpec;
import dev.backprop.core.config.ExperimentConfig.NetworkSpec;
import dev.backprop.core.config.ExperimentConfig.Normalization;
import dev.backprop.core.config.ExperimentConfig.PluginSpec;
import dev.backprop.core.config.ExperimentConfig.SourceSpec;
import dev.backprop.core.config.ExperimentConfig.SparkSource;
import dev.backprop.core.config.ExperimentConfig.SyntheticSource;
import dev.backprop.core.config.ExperimentConfig.TrainingSpec;
import dev.backprop.core.defaults.Defaults;
import dev.backprop.core.plugin.NameSuggestions;
import dev.backprop.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Turns a YAML document into an {@link ExperimentConfig}; each layer kind and data-source kind has its
 * reader here, found by the YAML key that names it, checking every key, type, range and plugin
 * name against the {@link PluginRegistry} as it goes. The first problem ends the read with a
 * {@link ConfigException} naming the file, line, column and key path. The format is documented in
 * {@code docs/config.md}.
 */
public final class ConfigReader {
    /** The synthetic datasets. */
    public static final List<String> SYNTHETIC = dev.backprop.core.data.SyntheticData.KINDS;

    private static final List<String> ROOT_KEYS = List.of("name", "seed", "plugins", "network", "loss", "optimizer", "training", "data");
    private static final List<String> NETWORK_KEYS = List.of("inputs", "layers");
    private static final List<String> DENSE_KEYS = List.of("dense", "bias", "init");
    private static final List<String> ACTIVATION_KEYS = List.of("activation");
    private static final List<String> TRAINING_KEYS = List.of("epochs", "batch-size", "shuffle", "trace", "schedule",
            "weight-decay", "early-stopping", "checkpoint", "distributed", "shards");
    private static final List<String> DISTRIBUTED_KEYS = List.of("master", "partitions", "exchange");
    private static final List<String> EARLY_STOPPING_KEYS = List.of("monitor", "patience", "min-delta", "restore-best");
    private static final List<String> MONITORS = List.of("validation-loss", "validation-accuracy");
    private static final List<String> CHECKPOINT_KEYS = List.of("every", "keep");
    private static final List<String> DROPOUT_KEYS = List.of("dropout");
    private static final List<String> DATA_KEYS = List.of("train", "validation", "test", "validation-split", "test-split", "normalize");
    private static final List<String> INLINE_KEYS = List.of("inline");
    private static final List<String> INLINE_BODY_KEYS = List.of("inputs", "targets");
    private static final List<String> CSV_KEYS = List.of("csv", "label", "targets", "features");
    private static final List<String> PARQUET_KEYS = List.of("parquet", "label", "features");
    private static final List<String> DATAFRAME_KEYS = List.of("dataframe", "label", "features");
    private static final List<String> SYNTHETIC_KEYS = List.of("synthetic", "samples", "classes", "noise");
    private static final List<String> NORMALIZATIONS = List.of("none", "standard", "min-max");

    /** A layer kind as YAML names it: what its key's value is, and its reader. */
    private record LayerKind(String value, Function<ConfigNode, LayerSpec> reader) {
    }

    /** Each layer kind, by the YAML key that names it. */
    private final Map<String, LayerKind> layerKinds = new LinkedHashMap<>();
    /** The reader of each data-source kind, by the YAML key that names it. */
    private static final Map<String, BiFunction<ConfigNode, Path, SourceSpec>> SOURCE_READERS = new LinkedHashMap<>();

    static {
        SOURCE_READERS.put("inline", (node, base) -> inline(node));
        SOURCE_READERS.put("csv", ConfigReader::csv);
        SOURCE_READERS.put("synthetic", (node, base) -> synthetic(node));
        SOURCE_READERS.put("parquet", ConfigReader::spark);
        SOURCE_READERS.put("dataframe", ConfigReader::spark);
    }

    private final PluginRegistry registry;

    /**
     * @param registry where plugin names and parameters are checked
     */
    public ConfigReader(PluginRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        layerKinds.put("dense", new LayerKind("a number of units", this::dense));
        layerKinds.put("activation", new LayerKind("a name", this::activation));
        layerKinds.put("dropout", new LayerKind("a rate", ConfigReader::dropout));
    }

    /**
     * @param root the document
     * @param baseDir the folder relative paths resolve against
     * @param fallbackName the name used when the document has none
     * @return the checked configuration
     */
    public ExperimentConfig read(ConfigNode root, Path baseDir, String fallbackName) {
        Map<String, ConfigNode> top = root.mapping(ROOT_KEYS);
        String name = top.containsKey("name") ? top.get("name").string() : fallbackName;
        if (!name.matches("[A-Za-z0-9._-]{1,100}")) {
            throw top.get("name").error("expected a name of letters, digits, '.', '_' or '-' (at most 100), got '" + name + "'.");
        }
        long seed = top.containsKey("seed") ? top.get("seed").longValue() : Defaults.SEED;
        List<Path> pluginDirs = pluginFolders(root, baseDir);
        NetworkSpec network = network(required(root, top, "network"));
        PluginSpec loss = top.containsKey("loss") ? plugin(top.get("loss"), PluginKind.LOSS)
                : defaultPlugin(PluginKind.LOSS, Defaults.LOSS);
        PluginSpec optimizer = top.containsKey("optimizer") ? plugin(top.get("optimizer"), PluginKind.OPTIMIZER)
                : defaultPlugin(PluginKind.OPTIMIZER, Defaults.OPTIMIZER);
        TrainingSpec training = training(top.get("training"));
        DataSpec data = data(required(root, top, "data"), baseDir);
        checkSparkSources(data, training, top.get("data"));
        return new ExperimentConfig(name, seed, pluginDirs, network, loss, optimizer, training, data, baseDir);
    }

    /**
     * Reads only the {@code plugins} key: the folders of plugin jars the experiment needs, which must be
     * loaded before the rest of the document can be checked.
     *
     * @param root the document
     * @param baseDir the folder relative paths resolve against
     * @return the folders, resolved; empty if the key is absent
     */
    public static List<Path> pluginFolders(ConfigNode root, Path baseDir) {
        ConfigNode node = root.isMapping() ? root.entries().get("plugins") : null;
        if (node == null) {
            return List.of();
        }
        List<Path> folders = new ArrayList<>();
        for (ConfigNode item : node.list()) {
            Path folder = baseDir.resolve(item.string()).normalize();
            if (!java.nio.file.Files.isDirectory(folder)) {
                throw item.error(dev.backprop.api.ErrorCode.IO_FAILED, "the plugin folder " + folder + " does not exist.", null);
            }
            folders.add(folder);
        }
        return List.copyOf(folders);
    }

    private static ConfigNode required(ConfigNode parent, Map<String, ConfigNode> entries, String key) {
        ConfigNode node = entries.get(key);
        if (node == null || node.isNull()) {
            throw (node == null ? parent : node).error("missing required key '" + key + "'.");
        }
        return node;
    }

    private NetworkSpec network(ConfigNode node) {
        Map<String, ConfigNode> entries = node.mapping(NETWORK_KEYS);
        Integer inputs = entries.containsKey("inputs") ? entries.get("inputs").integer(1) : null;
        ConfigNode layersNode = required(node, entries, "layers");
        List<ConfigNode> items = layersNode.list();
        if (items.isEmpty()) {
            throw layersNode.error("a network needs at least one layer, for example '- dense: 4'.");
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (ConfigNode item : items) {
            if (!item.isMapping()) {
                throw item.error("expected a layer such as '{dense: 4}' or '{activation: sigmoid}', got " + item.describe() + ".");
            }
            Map<String, ConfigNode> raw = item.entries();
            // The first kind's reader refuses the keys of any other kind as unknown.
            String kind = layerKinds.keySet().stream().filter(raw::containsKey).findFirst()
                    .orElseThrow(() -> item.error("a layer needs " + layerChoices() + "; got keys " + String.join(", ", raw.keySet()) + "."));
            layers.add(layerKinds.get(kind).reader().apply(item));
        }
        return new NetworkSpec(inputs, layers, node);
    }

    /** @return {@code 'dense' (a number of units), 'activation' (a name) or 'dropout' (a rate)} */
    private String layerChoices() {
        List<String> choices = new ArrayList<>();
        layerKinds.forEach((key, kind) -> choices.add("'" + key + "' (" + kind.value() + ")"));
        return String.join(", ", choices.subList(0, choices.size() - 1)) + " or " + choices.get(choices.size() - 1);
    }

    private LayerSpec dense(ConfigNode item) {
        Map<String, ConfigNode> dense = item.mapping(DENSE_KEYS);
        int units = dense.get("dense").integer(1);
        boolean bias = dense.containsKey("bias") ? dense.get("bias").bool() : Defaults.BIAS;
        PluginSpec init = dense.containsKey("init") ? plugin(dense.get("init"), PluginKind.INITIALIZER)
                : defaultPlugin(PluginKind.INITIALIZER, Defaults.INITIALIZER);
        return new DenseSpec(units, bias, init, item);
    }

    private LayerSpec activation(ConfigNode item) {
        return new ActivationSpec(plugin(item.mapping(ACTIVATION_KEYS).get("activation"), PluginKind.ACTIVATION), item);
    }

    private static LayerSpec dropout(ConfigNode item) {
        ConfigNode rateNode = item.mapping(DROPOUT_KEYS).get("dropout");
        double rate = rateNode.number();
        if (!(rate >= 0 && rate < 1)) {
            throw rateNode.error("expected a dropout rate in [0, 1), got " + rate + ".");
        }
        return new DropoutSpec(rate, item);
    }

    /** A plugin the configuration does not name: the default, with every parameter's default. */
    private PluginSpec defaultPlugin(PluginKind kind, String name) {
        return new PluginSpec(name, PluginParameters.resolve(registry.provider(kind, name), Map.of()).asMap(), null);
    }

    /** A plugin given as {@code name} or {@code {name: ..., parameter: value}}, checked against the registry. */
    private PluginSpec plugin(ConfigNode node, PluginKind kind) {
        String name;
        Map<String, Object> parameters = new LinkedHashMap<>();
        Map<String, ConfigNode> parameterNodes = new LinkedHashMap<>();
        ConfigNode nameNode;
        if (node.isMapping()) {
            Map<String, ConfigNode> entries = node.entries();
            nameNode = entries.get("name");
            if (nameNode == null) {
                throw node.error("expected the " + kind.label() + "'s 'name' beside its parameters, for example {name: "
                        + registry.names(kind).stream().findFirst().orElse("...") + "}.");
            }
            name = nameNode.string();
            entries.forEach((key, value) -> {
                if (!key.equals("name")) {
                    parameters.put(key, value.plain());
                    parameterNodes.put(key, value);
                }
            });
        } else {
            nameNode = node;
            name = node.string();
        }
        PluginProvider<?> provider;
        try {
            provider = registry.provider(kind, name);
        } catch (BackpropException e) {
            throw nameNode.relocate(e);
        }
        PluginParameters resolved;
        try {
            resolved = PluginParameters.resolve(provider, parameters);
        } catch (PluginParameterException e) {
            ConfigNode at = parameterNodes.getOrDefault(e.parameterName(), node);
            String lookalike = at.yaml11Lookalike();
            throw lookalike == null ? at.relocate(e) : at.error(e.code(), e.detail() + " " + lookalike, e);
        }
        return new PluginSpec(name, resolved.asMap(), node);
    }

    private TrainingSpec training(ConfigNode node) {
        if (node == null) {
            return new TrainingSpec(Defaults.EPOCHS, Defaults.BATCH_SIZE, Defaults.SHUFFLE, false, null, Defaults.WEIGHT_DECAY, null,
                    null, null, Defaults.SHARDS);
        }
        Map<String, ConfigNode> entries = node.mapping(TRAINING_KEYS);
        int epochs = entries.containsKey("epochs") ? entries.get("epochs").integer(1) : Defaults.EPOCHS;
        if (epochs == Integer.MAX_VALUE) {
            throw entries.get("epochs").error("expected a whole number >= 1 and below " + Integer.MAX_VALUE + ", got " + epochs + ".");
        }
        int batch = entries.containsKey("batch-size") ? entries.get("batch-size").integer(1) : Defaults.BATCH_SIZE;
        boolean shuffle = entries.containsKey("shuffle") ? entries.get("shuffle").bool() : Defaults.SHUFFLE;
        boolean trace = entries.containsKey("trace") && entries.get("trace").bool();
        PluginSpec schedule = entries.containsKey("schedule") ? plugin(entries.get("schedule"), PluginKind.SCHEDULE) : null;
        double decay = Defaults.WEIGHT_DECAY;
        if (entries.containsKey("weight-decay")) {
            decay = entries.get("weight-decay").number();
            if (decay < 0) {
                throw entries.get("weight-decay").error("expected a weight decay >= 0, got " + decay + ".");
            }
        }
        EarlyStoppingSpec early = null;
        if (entries.containsKey("early-stopping")) {
            ConfigNode earlyNode = entries.get("early-stopping");
            Map<String, ConfigNode> e = earlyNode.mapping(EARLY_STOPPING_KEYS);
            String monitor = Defaults.EARLY_STOPPING_MONITOR;
            if (e.containsKey("monitor")) {
                monitor = e.get("monitor").string();
                if (!MONITORS.contains(monitor)) {
                    throw e.get("monitor").error("unknown monitor '" + monitor + "'." + NameSuggestions.hint(monitor, MONITORS)
                            + " Allowed: " + String.join(", ", MONITORS) + ".");
                }
            }
            int patience = e.containsKey("patience") ? e.get("patience").integer(1) : Defaults.EARLY_STOPPING_PATIENCE;
            double minDelta = Defaults.EARLY_STOPPING_MIN_DELTA;
            if (e.containsKey("min-delta")) {
                minDelta = e.get("min-delta").number();
                if (minDelta < 0) {
                    throw e.get("min-delta").error("expected a min-delta >= 0, got " + minDelta + ".");
                }
            }
            boolean restore = e.containsKey("restore-best") ? e.get("restore-best").bool() : Defaults.EARLY_STOPPING_RESTORE_BEST;
            early = new EarlyStoppingSpec(monitor, patience, minDelta, restore);
        }
        CheckpointSpec checkpoint = null;
        if (entries.containsKey("checkpoint")) {
            Map<String, ConfigNode> c = entries.get("checkpoint").mapping(CHECKPOINT_KEYS);
            int every = c.containsKey("every") ? c.get("every").integer(1) : Defaults.CHECKPOINT_EVERY;
            int keep = c.containsKey("keep") ? c.get("keep").integer(1) : Defaults.CHECKPOINT_KEEP;
            checkpoint = new CheckpointSpec(every, keep);
        }
        DistributedSpec distributed = entries.containsKey("distributed") ? distributed(entries.get("distributed")) : null;
        int shards = Defaults.SHARDS;
        if (entries.containsKey("shards")) {
            ConfigNode shardsNode = entries.get("shards");
            shards = shardsNode.integer(1);
            if (shards > batch) {
                throw shardsNode.error("expected at most batch-size (" + batch + ") shards, got " + shards
                        + ": every worker contributes at least one row to each batch.");
            }
            if (shards > 1 && trace) {
                throw shardsNode.error("the step-by-step trace is for one worker; it cannot be combined with shards > 1.");
            }
            if (shards > 1 && distributed != null && distributed.partitions() > 0 && distributed.partitions() != shards) {
                throw shardsNode.error("a sharded distributed run has one worker per shard, but training.distributed.partitions is "
                        + distributed.partitions() + " and shards is " + shards + "; give the same number or leave partitions out.");
            }
        }
        if (distributed != null && trace) {
            throw entries.get("trace").error("the step-by-step trace is for a local run of a tiny network; "
                    + "it cannot be combined with training.distributed.");
        }
        return new TrainingSpec(epochs, batch, shuffle, trace, schedule, decay, early, checkpoint, distributed, shards);
    }

    private static DistributedSpec distributed(ConfigNode node) {
        Map<String, ConfigNode> entries = node.mapping(DISTRIBUTED_KEYS);
        ConfigNode masterNode = required(node, entries, "master");
        String master = masterNode.string().strip();
        if (!MasterUrl.isValid(master)) {
            throw masterNode.error("expected a Spark master URL: " + MasterUrl.FORMS + ", got '" + masterNode.string() + "'.");
        }
        int partitions = entries.containsKey("partitions") ? entries.get("partitions").integer(1) : 0;
        String exchange = "ring";
        if (entries.containsKey("exchange")) {
            ConfigNode e = entries.get("exchange");
            exchange = e.string();
            if (!DistributedSpec.EXCHANGES.contains(exchange)) {
                throw e.error("unknown exchange '" + exchange + "'." + NameSuggestions.hint(exchange, DistributedSpec.EXCHANGES)
                        + " Allowed: " + String.join(", ", DistributedSpec.EXCHANGES) + ".");
            }
        }
        return new DistributedSpec(master, partitions, exchange, node);
    }

    private static DataSpec data(ConfigNode node, Path base) {
        Map<String, ConfigNode> entries = node.mapping(DATA_KEYS);
        SourceSpec train = source(required(node, entries, "train"), base);
        SourceSpec validation = entries.containsKey("validation") ? source(entries.get("validation"), base) : null;
        SourceSpec test = entries.containsKey("test") ? source(entries.get("test"), base) : null;
        double validationSplit = split(entries.get("validation-split"));
        double testSplit = split(entries.get("test-split"));
        if (validation != null && validationSplit > 0) {
            throw entries.get("validation-split").error("give either 'validation' or 'validation-split', not both.");
        }
        if (test != null && testSplit > 0) {
            throw entries.get("test-split").error("give either 'test' or 'test-split', not both.");
        }
        if (validationSplit + testSplit >= 1) {
            throw entries.get(testSplit > 0 ? "test-split" : "validation-split").error("validation-split + test-split must be below 1, got "
                    + (validationSplit + testSplit) + ".");
        }
        Normalization normalize = Normalization.NONE;
        if (entries.containsKey("normalize")) {
            ConfigNode n = entries.get("normalize");
            String value = n.string();
            if (!NORMALIZATIONS.contains(value)) {
                throw n.error("unknown normalization '" + value + "'." + NameSuggestions.hint(value, NORMALIZATIONS)
                        + " Allowed: " + String.join(", ", NORMALIZATIONS) + ".");
            }
            normalize = Normalization.valueOf(value.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
        return new DataSpec(train, validation, test, validationSplit, testSplit, normalize);
    }

    private static double split(ConfigNode node) {
        if (node == null) {
            return 0;
        }
        double value = node.number();
        if (!(value > 0 && value < 1)) {
            throw node.error("expected a fraction between 0 and 1 (exclusive), got " + value + ".");
        }
        return value;
    }

    private static SourceSpec source(ConfigNode node, Path base) {
        if (!node.isMapping()) {
            throw node.error("expected a data source such as {csv: file.csv, label: column}, {synthetic: xor} or "
                    + "{inline: {inputs: [...], targets: [...]}}, got " + node.describe() + ".");
        }
        Map<String, ConfigNode> raw = node.entries();
        List<String> kinds = SOURCE_READERS.keySet().stream().filter(raw::containsKey).toList();
        if (kinds.size() != 1) {
            throw node.error("a data source needs exactly one of " + String.join(", ", SOURCE_READERS.keySet())
                    + (kinds.isEmpty() ? "; got keys " + String.join(", ", raw.keySet()) : "; got " + String.join(" and ", kinds)) + ".");
        }
        return SOURCE_READERS.get(kinds.get(0)).apply(node, base);
    }

    private static InlineSource inline(ConfigNode node) {
        ConfigNode body = node.mapping(INLINE_KEYS).get("inline");
        Map<String, ConfigNode> entries = body.mapping(INLINE_BODY_KEYS);
        double[][] inputs = matrix(required(body, entries, "inputs"));
        double[][] targets = matrix(required(body, entries, "targets"));
        if (inputs.length != targets.length) {
            throw body.error("'inputs' has " + inputs.length + " rows but 'targets' has " + targets.length + "; give one target row per input row.");
        }
        return new InlineSource(inputs, targets, node);
    }

    private static double[][] matrix(ConfigNode node) {
        List<ConfigNode> rows = node.list();
        if (rows.isEmpty()) {
            throw node.error("the dataset is empty: it needs at least one row.");
        }
        double[][] out = new double[rows.size()][];
        for (int r = 0; r < out.length; r++) {
            List<ConfigNode> cells = rows.get(r).list();
            if (cells.isEmpty()) {
                throw rows.get(r).error("a row needs at least one number.");
            }
            if (r > 0 && cells.size() != out[0].length) {
                throw rows.get(r).error("this row has " + cells.size() + " values but row 0 has " + out[0].length + ".");
            }
            out[r] = new double[cells.size()];
            for (int c = 0; c < out[r].length; c++) {
                out[r][c] = cells.get(c).number();
            }
        }
        return out;
    }

    private static CsvSource csv(ConfigNode node, Path base) {
        Map<String, ConfigNode> entries = node.mapping(CSV_KEYS);
        String shown = entries.get("csv").string();
        String label = entries.containsKey("label") ? entries.get("label").string() : null;
        List<String> targets = entries.containsKey("targets") ? strings(entries.get("targets")) : List.of();
        if ((label == null) == targets.isEmpty()) {
            throw node.error("a CSV source needs either 'label: column' (classification) or 'targets: [columns]' (regression).");
        }
        List<String> features = entries.containsKey("features") ? strings(entries.get("features")) : List.of();
        if (entries.containsKey("targets")) {
            distinctColumns(entries.get("targets"), List.of());
        }
        if (entries.containsKey("features")) {
            // A model reads each column once and never takes what it predicts as an input (see docs/model-format.md).
            distinctColumns(entries.get("features"), label != null ? List.of(label) : targets);
        }
        return new CsvSource(base.resolve(shown).normalize(), shown, label, targets, features, node);
    }

    private static SparkSource spark(ConfigNode node, Path base) {
        boolean parquet = node.entries().containsKey("parquet");
        Map<String, ConfigNode> entries = node.mapping(parquet ? PARQUET_KEYS : DATAFRAME_KEYS);
        String kind = parquet ? "parquet" : "dataframe";
        String shown = entries.get(kind).string();
        String label = required(node, entries, "label").string();
        List<String> features = strings(required(node, entries, "features"));
        if (features.isEmpty()) {
            throw entries.get("features").error("a " + kind + " source needs at least one feature column.");
        }
        if (features.contains(label)) {
            throw entries.get("features").error("the label column '" + label + "' cannot also be a feature.");
        }
        distinctColumns(entries.get("features"), List.of());
        String location = parquet && !shown.contains("://") ? base.resolve(shown).normalize().toString() : shown;
        return new SparkSource(kind, location, shown, label, features, node);
    }

    /** Spark-read training rows: read by the workers of a distributed run, not held out from, not used for validation. */
    private static void checkSparkSources(DataSpec data, TrainingSpec training, ConfigNode dataNode) {
        Map<String, ConfigNode> entries = dataNode.entries();
        for (String key : List.of("validation", "test")) {
            SourceSpec source = key.equals("validation") ? data.validation() : data.test();
            if (source instanceof SparkSource) {
                throw entries.get(key).error("only data.train can be read by Spark; give data." + key
                        + " as a csv, synthetic or inline source (every worker evaluates all of it).");
            }
        }
        if (!(data.train() instanceof SparkSource spark)) {
            return;
        }
        if (training.distributed() == null) {
            throw entries.get("train").error("a " + spark.kind() + " source is read by Apache Spark, each worker its own shard; "
                    + "it needs training.distributed (--master) and the sdk-spark module on the class path.");
        }
        DistributedSpec distributed = training.distributed();
        if (distributed.partitions() > 0 && distributed.partitions() != training.shards()) {
            throw entries.get("train").error("a " + spark.kind() + " source is split into training.shards shards (now "
                    + training.shards() + "), one worker each; set training.shards to " + distributed.partitions()
                    + " instead of training.distributed.partitions.");
        }
        for (String split : List.of("validation-split", "test-split")) {
            if (entries.containsKey(split)) {
                throw entries.get(split).error("rows read by Spark are not held out from; give data."
                        + (split.startsWith("validation") ? "validation" : "test") + " as its own source instead.");
            }
        }
    }

    /** Refuses a column named twice in {@code names}, or one of {@code predicted} among them. */
    private static void distinctColumns(ConfigNode names, List<String> predicted) {
        List<ConfigNode> items = names.list();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ConfigNode item : items) {
            if (!seen.add(item.string())) {
                throw item.error("the column '" + item.string() + "' is named twice; name each column once.");
            }
            if (predicted.contains(item.string())) {
                throw item.error("the column '" + item.string() + "' is what the model predicts, so it cannot also be a feature.");
            }
        }
    }

    private static List<String> strings(ConfigNode node) {
        List<String> out = new ArrayList<>();
        for (ConfigNode item : node.list()) {
            out.add(item.string());
        }
        if (out.isEmpty()) {
            throw node.error("expected at least one column name.");
        }
        return out;
    }

    private static SyntheticSource synthetic(ConfigNode node) {
        Map<String, ConfigNode> entries = node.mapping(SYNTHETIC_KEYS);
        ConfigNode kindNode = entries.get("synthetic");
        String kind = kindNode.string();
        if (!SYNTHETIC.contains(kind)) {
            throw kindNode.error("unknown synthetic dataset '" + kind + "'." + NameSuggestions.hint(kind, SYNTHETIC)
                    + " Available: " + String.join(", ", SYNTHETIC) + ".");
        }
        int defaultSamples = kind.equals("xor") ? 4 : 1000;
        int samples = entries.containsKey("samples") ? entries.get("samples").integer(1) : defaultSamples;
        if (samples > 10_000_000) {
            throw entries.get("samples").error("at most 10000000 synthetic samples, got " + samples + ".");
        }
        int classes = entries.containsKey("classes") ? entries.get("classes").integer(2) : (kind.equals("spirals") ? 3 : 2);
        if (entries.containsKey("classes") && !kind.equals("spirals")) {
            throw entries.get("classes").error("'classes' applies to spirals only; " + kind + " has 2 classes.");
        }
        double noise = entries.containsKey("noise") ? entries.get("noise").number() : (kind.equals("xor") ? 0.0 : 0.1);
        if (noise < 0) {
            throw entries.get("noise").error("expected a noise >= 0, got " + noise + ".");
        }
        return new SyntheticSource(kind, samples, classes, noise, node);
    }
}
