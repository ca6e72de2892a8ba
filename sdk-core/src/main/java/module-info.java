/**
 * The Backprop SDK engine: networks of dense and activation layers, forward and backward passes,
 * training with any {@link dev.backprop.api.Optimizer}, gradient checking, plugin discovery and the
 * Guice module that wires them for embedding applications.
 */
module dev.backprop.core {
    requires transitive dev.backprop.api;
    requires transitive com.google.guice;
    requires transitive jakarta.inject;
    requires org.slf4j;
    requires org.yaml.snakeyaml;
    requires com.fasterxml.jackson.databind;
    requires org.apache.commons.csv;
    // Optional: the SIMD kernels run only when the JVM was started with --add-modules jdk.incubator.vector.
    requires static jdk.incubator.vector;

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

    // Guice (an automatic module) instantiates and injects these by reflection.
    opens dev.backprop.core to com.google.guice;
    opens dev.backprop.core.inject to com.google.guice;
    opens dev.backprop.core.experiment to com.google.guice;
    opens dev.backprop.core.sweep to com.google.guice;

    uses dev.backprop.api.ActivationProvider;
    uses dev.backprop.api.LossFunctionProvider;
    uses dev.backprop.api.OptimizerProvider;
    uses dev.backprop.api.WeightInitializerProvider;
    uses dev.backprop.api.LearningRateScheduleProvider;
    uses dev.backprop.core.distributed.ClusterBackend;
}
