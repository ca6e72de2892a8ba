package dev.backprop.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.ActivationProvider;
import dev.backprop.api.ApiVersion;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.PluginKind;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.RunOptions;
import dev.backprop.core.experiment.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins loaded from a folder of jars, good and faulty. */
class PluginFolderTest {
    private static final String SERVICE = ActivationProvider.class.getName();

    @TempDir
    Path dir;
    private Path folder;

    @BeforeEach
    void createFolder() throws IOException {
        folder = Files.createDirectories(dir.resolve("plugins"));
    }

    private Path jar(String file, String className, String name, boolean throwing, Map<String, String> manifest) throws IOException {
        return PluginJars.build(folder.resolve(file), Map.of(className, PluginJars.activationSource(className, name, throwing)),
                Map.of(SERVICE, className + "\n"), manifest);
    }

    @Test
    void aGoodJarAddsItsPluginsWithTheJarAsOrigin() throws IOException {
        Path jar = jar("softplus.jar", "com.example.SoftplusProvider", "softplus", false,
                Map.of(ApiVersion.MANIFEST_ATTRIBUTE, ApiVersion.current()));
        PluginRegistry registry = PluginRegistry.builder().include(PluginRegistry.discover()).discoverJars(folder).build();
        assertThat(registry.names(PluginKind.ACTIVATION)).contains("softplus", "sigmoid", "relu");
        PluginDescriptor softplus = registry.descriptors(PluginKind.ACTIVATION).stream().filter(d -> d.name().equals("softplus")).findFirst().orElseThrow();
        assertThat(softplus.origin()).contains(jar.toString());
        assertThat(softplus.providerClass()).isEqualTo("com.example.SoftplusProvider");
        assertThat(registry.failures()).isEmpty();
        double[] out = new double[1];
        registry.createActivation("softplus", Map.of()).forward(new double[] {0}, out, 1, 1);
        assertThat(out[0]).isEqualTo(Math.log(2));
    }

    @Test
    void faultyJarsAreRecordedByJarAndClassAndNeverBreakTheOthers() throws IOException {
        jar("a-good.jar", "com.example.SoftplusProvider", "softplus", false, Map.of());
        jar("b-throws.jar", "com.example.BrokenProvider", "broken", true, Map.of());
        jar("c-clash.jar", "com.example.ImpostorProvider", "sigmoid", false, Map.of());
        jar("d-future.jar", "com.example.FutureProvider", "future", false, Map.of(ApiVersion.MANIFEST_ATTRIBUTE, "7.2"));
        Files.write(folder.resolve("e-corrupt.jar"), new byte[] {1, 2, 3, 4, 5});
        PluginRegistry registry = PluginRegistry.builder().include(PluginRegistry.discover()).discoverJars(folder).build();

        assertThat(registry.names(PluginKind.ACTIVATION)).contains("softplus", "sigmoid").doesNotContain("broken", "future");
        assertThat(registry.activation("sigmoid").getClass().getName()).isEqualTo("dev.backprop.plugins.activations.Sigmoid$Provider");
        assertThat(registry.failures()).hasSize(4);
        assertThat(registry.failures()).anySatisfy(f -> assertThat(f.describe()).contains("b-throws.jar", "com.example.BrokenProvider", "broken plugin"));
        assertThat(registry.failures()).anySatisfy(f -> assertThat(f.describe()).contains("c-clash.jar", "com.example.ImpostorProvider",
                "Two activation plugins are named 'sigmoid'"));
        assertThat(registry.failures()).anySatisfy(f -> assertThat(f.describe()).contains("d-future.jar",
                "built for Backprop API 7.2; this SDK provides API " + ApiVersion.current()));
        assertThat(registry.failures()).anySatisfy(f -> assertThat(f.describe()).contains("e-corrupt.jar", "could not be loaded"));
        assertThatThrownBy(() -> registry.activation("future")).hasMessageContaining("Plugins that failed to load:").hasMessageContaining("d-future.jar");
    }

    @Test
    void aMissingFolderIsAnIoError() {
        assertThatThrownBy(() -> PluginRegistry.builder().discoverJars(dir.resolve("nope")))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_FAILED))
                .hasMessageContaining("nope does not exist");
    }

    @Test
    void anExperimentNamesItsPluginFolders() throws IOException {
        jar("softplus.jar", "com.example.SoftplusProvider", "softplus", false, Map.of());
        Path config = dir.resolve("exp.yaml");
        Files.writeString(config, "plugins: [plugins]\nnetwork:\n  layers: [{dense: 4}, {activation: softplus}, {dense: 1}, {activation: sigmoid}]\n"
                + "optimizer: {name: sgd, learning-rate: 0.5, momentum: 0.9}\ntraining: {epochs: 300, batch-size: 1}\ndata:\n  train: {synthetic: xor}\n");
        ExperimentRunner runner = new ExperimentRunner(PluginRegistry.discover());
        RunResult result = runner.run(config, List.of(), new RunOptions(dir.resolve("run"), dir, null, List.of()));
        assertThat(result.model().network().layers()).hasSize(4);
        assertThat(dir.resolve("run/config.yaml")).content().contains("plugins:", "activation softplus");
        Files.writeString(config, Files.readString(config).replace("plugins: [plugins]", "plugins: [elsewhere]"));
        assertThatThrownBy(() -> runner.load(config, List.of())).hasMessageContaining(config + ":1:11: plugins[0]: the plugin folder");
    }
    @Test
    void aParameterListThatNeverReturnsFailsDiscoveryNamingTheJarAndTheClassInsteadOfHanging() throws IOException {
        String source = PluginJars.activationSource("com.example.StuckProvider", "stuck", false).replace(
                "public String name()", "public java.util.List<ParameterSpec> parameters() { try { new java.util.concurrent.CountDownLatch(1)"
                        + ".await(); } catch (InterruptedException e) { } return java.util.List.of(); }\n  public String name()");
        PluginJars.build(folder.resolve("stuck.jar"), Map.of("com.example.StuckProvider", source),
                Map.of(SERVICE, "com.example.StuckProvider\n"), Map.of());
        // A latch nobody releases exceeds any bound, so a small one decides nothing about the machine's speed.
        String before = System.getProperty(PluginCalls.TIMEOUT_PROPERTY);
        System.setProperty(PluginCalls.TIMEOUT_PROPERTY, "0.2");
        try {
            assertThatThrownBy(() -> PluginRegistry.builder().discoverJars(folder))
                    .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_LOAD_FAILED))
                    .hasMessageContaining("parameters() of the activation provider com.example.StuckProvider (class path ")
                    .hasMessageContaining("stuck.jar) did not return within 0.2 s");
        } finally {
            if (before == null) {
                System.clearProperty(PluginCalls.TIMEOUT_PROPERTY);
            } else {
                System.setProperty(PluginCalls.TIMEOUT_PROPERTY, before);
            }
        }
    }
}
