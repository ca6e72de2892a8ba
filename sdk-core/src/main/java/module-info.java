/**
 * The Backprop SDK engine: networks of dense and activation layers, forward and backward passes,
 * training with any {@link dev.backprop.api.Optimizer}, gradient checking, plugin discovery and the
 * Guice module that wires them for embedding applications.
 */
module dev.backprop.core {
    requires transitive dev.backprop.api;
    // Optional: only dev.backprop.core.inject uses Guice. An application that installs BackpropModule
    // requires com.google.guice itself (the dev.backprop:backprop artifact brings the jar); one that
    // does not use Guice can leave Guice and Guava off its path (docs/embedding.md).
    requires static com.google.guice;
    // The @Inject annotations on the SDK's constructors: an 11 kB jar.
    requires transitive jakarta.inject;
    requires org.slf4j;
    requires org.yaml.snakeyaml;
    requires com.fasterxml.jackson.databind;
    requires org.apache.commons.csv;

    exports dev.backprop.core;
    exports dev.backprop.core.config;
    exports dev.backprop.core.data;
    exports dev.backprop.core.distributed;
    exports dev.backprop.core.experiment;
    exports dev.backprop.core.model;
    exports dev.backprop.core.gradcheck;
    exports dev.backprop.core.inject;
    exports dev.backprop.core.network;
    exports dev.backprop.core.plugin;
    exports dev.backprop.core.sweep;
    exports dev.backprop.core.training;

    // BackpropModule creates the SDK's objects in its own @Provides methods, so Guice reflects on
    // that package alone and never generates code that reaches into the others.
    opens dev.backprop.core.inject to com.google.guice;

    uses dev.backprop.api.ActivationProvider;
    uses dev.backprop.api.LossFunctionProvider;
    uses dev.backprop.api.OptimizerProvider;
    uses dev.backprop.api.WeightInitializerProvider;
    uses dev.backprop.api.LearningRateScheduleProvider;
    uses dev.backprop.core.distributed.ClusterBackend;
}
