package dev.backprop.core.experiment;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.LossFunction;
import dev.backprop.core.config.ConfigLocation;
import dev.backprop.core.config.ExperimentConfig;
import dev.backprop.core.config.ExperimentConfig.LayerSpec;
import dev.backprop.core.config.ExperimentConfig.Normalization;
import dev.backprop.core.config.ExperimentConfig.SourceSpec;
import dev.backprop.core.config.ExperimentConfig.SparkSource;
import dev.backprop.core.data.RowsSummary;
import dev.backprop.core.data.LabelledData;
import dev.backprop.core.data.Normalizer;
import dev.backprop.core.data.Splits;
import dev.backprop.core.network.LayerException;
import dev.backprop.core.network.Network;
import dev.backprop.core.network.NetworkBuilder;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.Dataset;
import dev.backprop.core.training.EarlyStopping;
import dev.backprop.core.training.Trainer;
import java.util.List;

/**
 * Assembling: from a checked configuration to the pieces of a run: the data loaded, split and normalised,
 * the network built and checked against the data, and the trainer the configuration describes. Every
 * mismatch is reported at the configuration line it comes from.
 */
final class ExperimentAssembler {
    private ExperimentAssembler() {
    }

    static PreparedExperiment prepare(ExperimentConfig config, PluginRegistry registry) {
        return prepare(config, registry, null, null);
    }

    /**
     * For training rows that stay on the cluster ({@link SparkSource}): the driver passes no rows and gets a
     * network and model built from the summary's shape; a worker passes its shard. Either way the
     * normalizer is the one the summary's statistics give, the same everywhere.
     */
    static PreparedExperiment prepare(ExperimentConfig config, PluginRegistry registry, RowsSummary summary, Dataset shard) {
        var spec = config.data();
        LabelledData train;
        if (summary != null) {
            SparkSource source = (SparkSource) spec.train();
            Dataset rows = shard != null ? shard : Dataset.empty(source.features().size(), summary.classes().size());
            train = new LabelledData(rows, source.features(), summary.classes(), summary.classes(), source.label());
        } else {
            train = load(spec.train(), config.seed(), null, "data.train");
        }
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
            String method = spec.normalize() == Normalization.STANDARD ? "standard" : "min-max";
            normalizer = summary != null ? summary.statistics().normalizer(method) : Normalizer.fit(method, train.dataset());
            train = train.dataset().size() == 0 ? train : train.with(normalizer.apply(train.dataset()));
            validation = validation == null ? null : validation.with(normalizer.apply(validation.dataset()));
            test = test == null ? null : test.with(normalizer.apply(test.dataset()));
        }
        Network network = buildNetwork(registry, config, train);
        try {
            TrainingMemory.check(network, config.training().batchSize(), java.util.Arrays.asList(train.dataset(),
                    validation == null ? null : validation.dataset(), test == null ? null : test.dataset()), Runtime.getRuntime().maxMemory());
        } catch (TrainingMemory.LayerMemoryException e) {
            var layers = config.network().layers();
            int index = e.layerIndex();
            throw located(index < layers.size() ? layers.get(index).where() : null, e, "network.layers[" + index + "]");
        }
        LossFunction loss = registry.createLoss(config.loss().name(), config.loss().parameters());
        return new PreparedExperiment(config, network, loss, train, validation, test, normalizer, summary);
    }

    /** The trainer an experiment describes, without listeners: the same for a local run and every cluster worker. */
    static Trainer.Builder trainer(PluginRegistry registry, PreparedExperiment prepared) {
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

    private static LabelledData load(SourceSpec source, long seed, List<String> knownClasses, String what) {
        try {
            return source.load(seed, knownClasses);
        } catch (BackpropException e) {
            throw located(source.where(), e, what);
        }
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
            ConfigLocation at = spec.where() == null ? null : spec.where().at("inputs");
            throw located(at, new BackpropException(ErrorCode.SHAPE_MISMATCH, "the network has " + spec.inputs()
                    + " inputs but data.train has " + dataInputs + " input columns (" + String.join(", ", train.features()) + ")."), "network.inputs");
        }
        NetworkBuilder builder = NetworkBuilder.create(registry, dataInputs).seed(config.seed());
        int width = dataInputs;
        for (LayerSpec layer : spec.layers()) {
            try {
                width = layer.addTo(builder, width);
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
                    + (train.classes() != null ? " (one per class: " + dev.backprop.core.io.IoErrors.excerpt(String.join(", ", train.classes())) + ")" : "")
                    + "; make the last dense layer " + targets + " units wide."), "network.layers");
        }
        return network;
    }

    private static BackpropException located(ConfigLocation where, BackpropException e, String what) {
        if (where != null) {
            return where.relocate(e);
        }
        return e.getMessage().contains(what) ? e : new BackpropException(e.code(), what + ": " + e.detail(), e);
    }
}
