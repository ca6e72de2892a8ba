/**
 * The Backprop SDK engine: networks of dense and activation layers, forward and backward passes,
 * training with any {@link dev.backprop.api.Optimizer}, gradient checking, plugin discovery, YAML
 * experiments and the Guice module that wires them for embedding applications.
 *
 * <p>Exported: the packages an application or a plugin author uses. Not exported: the YAML node tree,
 * the run directory's files, the cluster code and the kernels ({@code docs/architecture.md}).
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
    // HotSpot's UseFMA flag: the SIMD kernels are chosen only where fused multiply-add runs in hardware.
    requires jdk.management;
    // Not required: the SIMD kernels run only when the JVM was started with --add-modules
    // jdk.incubator.vector, and then read it at run time (linalg.Kernels); the compiler adds the module.

    exports dev.backprop.core;
    exports dev.backprop.core.config;
    exports dev.backprop.core.data;
    exports dev.backprop.core.defaults;
    exports dev.backprop.core.experiment;
    exports dev.backprop.core.gradcheck;
    exports dev.backprop.core.io to dev.backprop.cli, dev.backprop.onnx;
    exports dev.backprop.core.inject;
    exports dev.backprop.core.model;
    exports dev.backprop.core.network;
    exports dev.backprop.core.plugin;
    exports dev.backprop.core.sweep;
    exports dev.backprop.core.training;
    // The command line starts cluster sweeps; the Spark module runs on the class path and needs no export.
    exports dev.backprop.core.cluster to dev.backprop.cli;

    // BackpropModule creates the SDK's objects in its own @Provides methods, so Guice reflects on
    // that package alone and never generates code that reaches into the others.
    opens dev.backprop.core.inject to com.google.guice;

    uses dev.backprop.api.ActivationProvider;
    uses dev.backprop.api.LossFunctionProvider;
    uses dev.backprop.api.OptimizerProvider;
    uses dev.backprop.api.WeightInitializerProvider;
    uses dev.backprop.api.LearningRateScheduleProvider;
    uses dev.backprop.core.cluster.ClusterBackend;
    uses dev.backprop.core.experiment.DistributedTraining;

    provides dev.backprop.core.experiment.DistributedTraining with dev.backprop.core.cluster.ClusterDriver;
}
