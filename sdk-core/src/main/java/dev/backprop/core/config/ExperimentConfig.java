package dev.backprop.core.config;

import dev.backprop.api.BackpropException;
import dev.backprop.core.data.CsvLoader;
import dev.backprop.core.data.LabelledData;
import dev.backprop.core.data.SyntheticData;
import dev.backprop.core.network.NetworkBuilder;
import dev.backprop.core.training.Dataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed and checked experiment configuration, every default filled in (the defaults live in
 * {@link dev.backprop.core.defaults.Defaults}). The YAML reader builds it; {@link #toMap()} gives it back as
 * plain data for the run directory's {@code config.yaml}. Values that came from a file keep their
 * {@link ConfigLocation}, so later checks (against the data, say) can still point at the line; it is
 * {@code null} for configurations built in code.
 *
 * <p>Each layer kind and each data-source kind is one record of a sealed interface, and its abstract
 * methods are every place a new kind must fill: its YAML form ({@code toMap}), how it is built or loaded,
 * and (for layers) the matching {@link dev.backprop.core.network.Layer} with its own {@code model.json} codec.
 *
 * @param name the experiment name, used in the run directory name
 * @param seed the seed of every random choice (initial weights, shuffling, splits, synthetic data)
 * @param pluginDirs folders of extra plugin jars, resolved against the configuration's folder
 * @param network the layers
 * @param loss the loss plugin
 * @param optimizer the optimizer plugin
 * @param training the training settings
 * @param data where the examples come from
 * @param baseDir the folder relative paths resolve against
 */
public record ExperimentConfig(String name, long seed, List<Path> pluginDirs, NetworkSpec network, PluginSpec loss,
        PluginSpec optimizer, TrainingSpec training, DataSpec data, Path baseDir) {

    /**
     * A plugin chosen by name, with its parameters.
     *
     * @param name the plugin name
     * @param parameters every parameter with its value, defaults included (plain Java values)
     * @param where the configuration value, or {@code null}
     */
    public record PluginSpec(String name, Map<String, Object> parameters, ConfigLocation where) {
        /**
         * Copies the parameters.
         *
         * @param name the plugin name
         * @param parameters every parameter with its value, defaults included (plain Java values)
         * @param where the configuration value, or {@code null}
         */
        public PluginSpec {
            parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        }

        /** @return {@code {name: ..., parameter: value, ...}}, as written in YAML */
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("name", name);
            map.putAll(parameters);
            return map;
        }
    }

    /**
     * @param inputs the number of inputs, or {@code null} to take it from the data
     * @param layers the layers in order
     * @param where the {@code network} value, or {@code null}
     */
    public record NetworkSpec(Integer inputs, List<LayerSpec> layers, ConfigLocation where) {
        /**
         * Copies the list.
         *
         * @param inputs the number of inputs, or {@code null} to take it from the data
         * @param layers the layers in order
         * @param where the {@code network} value, or {@code null}
         */
        public NetworkSpec {
            layers = List.copyOf(layers);
        }
    }

    /** One entry of {@code network.layers}: one record per layer kind. */
    public sealed interface LayerSpec permits DenseSpec, ActivationSpec, DropoutSpec {
        /** @return the configuration value, or {@code null} */
        ConfigLocation where();

        /** @return this layer as its YAML mapping, every default filled in */
        Map<String, Object> toMap();

        /**
         * Adds this layer to a network under construction.
         *
         * @param builder the builder
         * @param width the number of values the previous layer produces
         * @return the number of values this layer produces
         */
        int addTo(NetworkBuilder builder, int width);

        /** @return the plugins this layer names, as {@code kind name} keys of {@code versions.plugins}, each with its kind */
        default Map<String, dev.backprop.api.PluginKind> plugins() {
            return Map.of();
        }
    }

    /**
     * @param units the number of outputs
     * @param bias whether the layer has a bias unit
     * @param init the initializer
     * @param where the layer's configuration value, or {@code null}
     */
    public record DenseSpec(int units, boolean bias, PluginSpec init, ConfigLocation where) implements LayerSpec {
        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("dense", units);
            item.put("bias", bias);
            item.put("init", init.toMap());
            return item;
        }

        @Override
        public int addTo(NetworkBuilder builder, int width) {
            builder.dense(units, bias, init.name(), init.parameters());
            return units;
        }

        @Override
        public Map<String, dev.backprop.api.PluginKind> plugins() {
            return Map.of(init.name(), dev.backprop.api.PluginKind.INITIALIZER);
        }
    }

    /**
     * @param activation the activation plugin
     * @param where the layer's configuration value, or {@code null}
     */
    public record ActivationSpec(PluginSpec activation, ConfigLocation where) implements LayerSpec {
        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("activation", activation.toMap());
            return item;
        }

        @Override
        public int addTo(NetworkBuilder builder, int width) {
            builder.activation(activation.name(), activation.parameters());
            return width;
        }

        @Override
        public Map<String, dev.backprop.api.PluginKind> plugins() {
            return Map.of(activation.name(), dev.backprop.api.PluginKind.ACTIVATION);
        }
    }

    /**
     * @param rate the probability of dropping a unit while training, in [0, 1)
     * @param where the layer's configuration value, or {@code null}
     */
    public record DropoutSpec(double rate, ConfigLocation where) implements LayerSpec {
        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("dropout", rate);
            return item;
        }

        @Override
        public int addTo(NetworkBuilder builder, int width) {
            builder.dropout(rate);
            return width;
        }
    }

    /**
     * @param monitor {@code validation-loss} or {@code validation-accuracy}
     * @param patience epochs without improvement before stopping
     * @param minDelta the smallest change that counts as an improvement
     * @param restoreBest whether to put back the best epoch's weights
     */
    public record EarlyStoppingSpec(String monitor, int patience, double minDelta, boolean restoreBest) {
    }

    /**
     * @param every write a checkpoint every this many epochs (and always at the end and on Ctrl-C)
     * @param keep how many checkpoints to keep, newest first
     */
    public record CheckpointSpec(int every, int keep) {
    }

    /**
     * @param epochs passes over the training data
     * @param batchSize examples per update
     * @param shuffle whether to shuffle the examples each epoch
     * @param trace whether to print every forward and backward value (for tiny networks, e.g. docs/derivation.md §10)
     * @param schedule the learning-rate schedule, or {@code null} for a constant rate
     * @param weightDecay the L2 coefficient, 0 for none
     * @param earlyStopping when to stop early, or {@code null}
     * @param checkpoint when to write checkpoints, or {@code null} for never
     * @param distributed where to run synchronous data-parallel training, or {@code null} to train in this JVM
     * @param shards how many workers each own a shard of the training rows ({@code training.shards}; 1 for the
     *     unsharded algorithm), see {@code docs/distributed.md}
     */
    public record TrainingSpec(int epochs, int batchSize, boolean shuffle, boolean trace, PluginSpec schedule,
            double weightDecay, EarlyStoppingSpec earlyStopping, CheckpointSpec checkpoint, DistributedSpec distributed,
            int shards) {

        /**
         * Settings without schedule, weight decay, early stopping or checkpoints.
         *
         * @param epochs passes over the training data
         * @param batchSize examples per update
         * @param shuffle whether to shuffle each epoch
         * @param trace whether to print every value
         */
        public TrainingSpec(int epochs, int batchSize, boolean shuffle, boolean trace) {
            this(epochs, batchSize, shuffle, trace, null, 0, null, null, null, 1);
        }
    }

    /**
     * Data-parallel training on a cluster (see {@code docs/distributed.md}).
     *
     * @param master the Spark master URL, for example {@code local[2]} or {@code spark://host:7077}
     * @param partitions how many workers share each batch, or 0 for the cluster's default parallelism
     * @param exchange how the workers combine gradient sums: {@code ring} (the default) or {@code star}
     * @param where the configuration value, or {@code null}
     */
    public record DistributedSpec(String master, int partitions, String exchange, ConfigLocation where) {
        /** The exchanges a distributed run can use. */
        public static final java.util.List<String> EXCHANGES = java.util.List.of("ring", "star");
    }

    /** How inputs are scaled; fitted on the training part only. */
    public enum Normalization {
        /** Inputs as given. */
        NONE,
        /** Each input column to mean 0 and standard deviation 1. */
        STANDARD,
        /** Each input column to [0, 1]. */
        MIN_MAX
    }

    /**
     * @param train the training examples
     * @param validation the validation examples, or {@code null}
     * @param test the test examples, or {@code null}
     * @param validationSplit the fraction of the training examples held out for validation, or 0
     * @param testSplit the fraction of the training examples held out for testing, or 0
     * @param normalize how inputs are scaled
     */
    public record DataSpec(SourceSpec train, SourceSpec validation, SourceSpec test, double validationSplit, double testSplit,
            Normalization normalize) {
    }

    /** Where one set of examples comes from: one record per data-source kind. */
    public sealed interface SourceSpec permits InlineSource, CsvSource, SyntheticSource, SparkSource {
        /** @return the configuration value, or {@code null} */
        ConfigLocation where();

        /** @return this source as its YAML mapping, every default filled in */
        Map<String, Object> toMap();

        /**
         * Reads or generates the examples.
         *
         * @param seed the seed of a generated set
         * @param knownClasses the training set's classes, which a validation or test set must use, or {@code null}
         * @return the examples with their column names
         * @throws BackpropException if the data cannot be had
         */
        LabelledData load(long seed, List<String> knownClasses);
    }

    /**
     * @param inputs one row per example
     * @param targets one row per example
     * @param where the configuration value, or {@code null}
     */
    public record InlineSource(double[][] inputs, double[][] targets, ConfigLocation where) implements SourceSpec {
        @Override
        public Map<String, Object> toMap() {
            return new LinkedHashMap<>(Map.of("inline", Map.of("inputs", rows(inputs), "targets", rows(targets))));
        }

        @Override
        public LabelledData load(long seed, List<String> knownClasses) {
            return new LabelledData(Dataset.of(inputs, targets), columns("x", inputs[0].length), columns("y", targets[0].length),
                    null, null);
        }

        private static List<String> columns(String prefix, int count) {
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                names.add(prefix + i);
            }
            return names;
        }
    }

    /**
     * @param path the CSV file
     * @param shownPath the path as written in the configuration
     * @param label the class-label column (one-hot encoded), or {@code null} for regression
     * @param targets the target columns for regression (empty when {@code label} is set)
     * @param features the feature columns, or empty for every other column
     * @param where the configuration value, or {@code null}
     */
    public record CsvSource(Path path, String shownPath, String label, List<String> targets, List<String> features,
            ConfigLocation where) implements SourceSpec {
        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("csv", shownPath);
            if (label != null) {
                map.put("label", label);
            } else {
                map.put("targets", targets);
            }
            if (!features.isEmpty()) {
                map.put("features", features);
            }
            return map;
        }

        @Override
        public LabelledData load(long seed, List<String> knownClasses) {
            CsvLoader.Builder csv = CsvLoader.from(path).shownAs(shownPath).features(features).knownClasses(knownClasses);
            return (label != null ? csv.label(label) : csv.targets(targets)).load();
        }
    }

    /**
     * Training rows that Apache Spark reads, each worker only its shard: a Parquet file or folder
     * ({@code parquet: PATH}), or a {@code Dataset<Row>} handed to {@code sdk-spark}'s {@code SparkTraining}
     * ({@code dataframe: NAME}). The core cannot read them; a run needs {@code training.distributed} and
     * the {@code sdk-spark} module.
     *
     * @param kind {@code parquet} or {@code dataframe}
     * @param location the Parquet path, resolved (absolute), or the DataFrame's name
     * @param shown the value as written in the configuration
     * @param label the class-label column (one-hot encoded)
     * @param features the numeric feature columns, in input order
     * @param where the configuration value, or {@code null}
     */
    public record SparkSource(String kind, String location, String shown, String label, List<String> features,
            ConfigLocation where) implements SourceSpec {
        /** The kinds, by their YAML key. */
        public static final List<String> KINDS = List.of("parquet", "dataframe");

        /**
         * Copies the list.
         *
         * @param kind {@code parquet} or {@code dataframe}
         * @param location the Parquet path, resolved (absolute), or the DataFrame's name
         * @param shown the value as written in the configuration
         * @param label the class-label column (one-hot encoded)
         * @param features the numeric feature columns, in input order
         * @param where the configuration value, or {@code null}
         */
        public SparkSource {
            features = List.copyOf(features);
        }

        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put(kind, shown);
            map.put("label", label);
            map.put("features", features);
            return map;
        }

        @Override
        public LabelledData load(long seed, List<String> knownClasses) {
            throw new BackpropException(dev.backprop.api.ErrorCode.CLUSTER_FAILED, "a " + kind + " source (" + shown
                    + ") is read by Apache Spark, each worker its own shard; this JVM cannot read it. Train it with "
                    + "training.distributed (--master) and the sdk-spark module on the class path (see docs/distributed.md).");
        }
    }

    /**
     * @param kind {@code xor}, {@code spirals} or {@code circles}
     * @param samples the number of examples
     * @param classes the number of classes (spirals)
     * @param noise the standard deviation of the noise added to the points
     * @param where the configuration value, or {@code null}
     */
    public record SyntheticSource(String kind, int samples, int classes, double noise, ConfigLocation where) implements SourceSpec {
        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("synthetic", kind);
            map.put("samples", samples);
            if (kind.equals("spirals")) {
                map.put("classes", classes);
            }
            map.put("noise", noise);
            return map;
        }

        @Override
        public LabelledData load(long seed, List<String> knownClasses) {
            return SyntheticData.generate(kind, samples, classes, noise, seed);
        }
    }

    /** @return the configuration as plain maps and lists, every default filled in, in the YAML format it was read from */
    public Map<String, Object> toMap() {
        Map<String, Object> root = new java.util.LinkedHashMap<>();
        root.put("name", name);
        root.put("seed", seed);
        if (!pluginDirs.isEmpty()) {
            root.put("plugins", pluginDirs.stream().map(Path::toString).toList());
        }
        Map<String, Object> net = new java.util.LinkedHashMap<>();
        if (network.inputs() != null) {
            net.put("inputs", network.inputs());
        }
        List<Object> layers = new java.util.ArrayList<>();
        for (LayerSpec layer : network.layers()) {
            layers.add(layer.toMap());
        }
        net.put("layers", layers);
        root.put("network", net);
        root.put("loss", loss.toMap());
        root.put("optimizer", optimizer.toMap());
        Map<String, Object> train = new java.util.LinkedHashMap<>();
        train.put("epochs", training.epochs());
        train.put("batch-size", training.batchSize());
        train.put("shuffle", training.shuffle());
        train.put("trace", training.trace());
        if (training.schedule() != null) {
            train.put("schedule", training.schedule().toMap());
        }
        train.put("weight-decay", training.weightDecay());
        train.put("shards", training.shards());
        if (training.earlyStopping() != null) {
            EarlyStoppingSpec e = training.earlyStopping();
            train.put("early-stopping", new java.util.LinkedHashMap<>(Map.of("monitor", e.monitor(), "patience", e.patience(),
                    "min-delta", e.minDelta(), "restore-best", e.restoreBest())));
        }
        if (training.checkpoint() != null) {
            train.put("checkpoint", new java.util.LinkedHashMap<>(Map.of("every", training.checkpoint().every(),
                    "keep", training.checkpoint().keep())));
        }
        if (training.distributed() != null) {
            Map<String, Object> distributed = new java.util.LinkedHashMap<>();
            distributed.put("master", training.distributed().master());
            if (training.distributed().partitions() > 0) {
                distributed.put("partitions", training.distributed().partitions());
            }
            distributed.put("exchange", training.distributed().exchange());
            train.put("distributed", distributed);
        }
        root.put("training", train);
        Map<String, Object> dataMap = new java.util.LinkedHashMap<>();
        dataMap.put("train", data.train().toMap());
        if (data.validation() != null) {
            dataMap.put("validation", data.validation().toMap());
        }
        if (data.test() != null) {
            dataMap.put("test", data.test().toMap());
        }
        if (data.validationSplit() > 0) {
            dataMap.put("validation-split", data.validationSplit());
        }
        if (data.testSplit() > 0) {
            dataMap.put("test-split", data.testSplit());
        }
        dataMap.put("normalize", data.normalize().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        root.put("data", dataMap);
        return root;
    }

    private static List<List<Double>> rows(double[][] values) {
        List<List<Double>> rows = new java.util.ArrayList<>();
        for (double[] row : values) {
            rows.add(java.util.Arrays.stream(row).boxed().toList());
        }
        return rows;
    }
}
