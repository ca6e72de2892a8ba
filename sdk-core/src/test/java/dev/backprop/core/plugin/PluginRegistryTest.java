package dev.backprop.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.PluginKind;
import dev.backprop.api.PluginParameters;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRegistryTest {

    @Test
    void discoversEveryStandardPluginOnTheClassPath() {
        PluginRegistry registry = PluginRegistry.discover();
        assertThat(registry.names(PluginKind.ACTIVATION))
                .containsExactly("identity", "leaky-relu", "relu", "sigmoid", "softmax", "tanh");
        assertThat(registry.names(PluginKind.LOSS)).containsExactly("binary-cross-entropy", "cross-entropy", "squared-error");
        assertThat(registry.names(PluginKind.OPTIMIZER)).containsExactly("adam", "sgd");
        assertThat(registry.names(PluginKind.INITIALIZER)).containsExactly("constant", "explicit", "he-normal", "he-uniform",
                "uniform", "xavier-normal", "xavier-uniform", "zeros");
        assertThat(registry.failures()).isEmpty();
        assertThat(registry.descriptors(PluginKind.ACTIVATION)).allSatisfy(d -> assertThat(d.origin()).startsWith("class path"));
    }

    @Test
    void unknownNameListsTheNamesThatExistAndSuggestsTheClosest() {
        PluginRegistry registry = PluginRegistry.discover();
        assertThatThrownBy(() -> registry.activation("sigmod"))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_UNKNOWN))
                .hasMessage("[BP-102] Unknown activation 'sigmod'. Did you mean 'sigmoid'? "
                        + "Available activations: identity, leaky-relu, relu, sigmoid, softmax, tanh.");
        assertThatThrownBy(() -> registry.optimizer("rmsprop"))
                .hasMessage("[BP-102] Unknown optimizer 'rmsprop'. Available optimizers: adam, sgd.");
    }

    @Test
    void emptyRegistrySaysNothingIsInstalled() {
        PluginRegistry registry = PluginRegistry.builder().build();
        assertThatThrownBy(() -> registry.loss("squared-error"))
                .hasMessageContaining("no loss plugins are installed")
                .hasMessageContaining("depends on dev.backprop:backprop, which brings every standard plugin");
    }

    @Test
    void handRegisteredProvidersWorkWithoutDiscovery() {
        PluginRegistry registry = PluginRegistry.builder().register(new ImpostorSigmoidProvider()).build();
        assertThat(registry.names(PluginKind.ACTIVATION)).containsExactly("sigmoid");
        assertThat(registry.names(PluginKind.LOSS)).isEmpty();
        assertThat(registry.descriptors().get(0).origin()).isEqualTo("registered by hand");
    }

    @Test
    void duplicateNamesAreAnErrorNamingBothClasses() {
        PluginRegistry.Builder builder = PluginRegistry.builder().discover(getClass().getClassLoader());
        assertThatThrownBy(() -> builder.register(new ImpostorSigmoidProvider()))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_DUPLICATE))
                .hasMessageContaining("Two activation plugins are named 'sigmoid'")
                .hasMessageContaining("dev.backprop.plugins.activations.Sigmoid$Provider")
                .hasMessageContaining(ImpostorSigmoidProvider.class.getName());
    }

    @Test
    void duplicatesFoundByDiscoveryAreAnErrorToo(@TempDir Path dir) throws IOException {
        try (URLClassLoader loader = servicesLoader(dir, ImpostorSigmoidProvider.class)) {
            assertThatThrownBy(() -> PluginRegistry.builder().discover(loader).build())
                    .hasMessageContaining("Two activation plugins are named 'sigmoid'")
                    .hasMessageContaining(ImpostorSigmoidProvider.class.getName());
        }
    }

    @Test
    void aProviderThatThrowsIsRecordedAndDoesNotStopTheOthers(@TempDir Path dir) throws IOException {
        try (URLClassLoader loader = servicesLoader(dir, ThrowingActivationProvider.class)) {
            PluginRegistry registry = PluginRegistry.builder().discover(loader).build();
            assertThat(registry.names(PluginKind.ACTIVATION)).contains("sigmoid", "tanh", "softmax");
            assertThat(registry.failures()).singleElement().satisfies(f -> {
                assertThat(f.kind()).isEqualTo(PluginKind.ACTIVATION);
                assertThat(f.providerClass()).isEqualTo(ThrowingActivationProvider.class.getName());
                assertThat(f.message()).contains("boom in constructor");
            });
        }
    }

    @Test
    void aServiceFileNamingAMissingClassIsRecorded(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(ActivationProvider.class.getName()), "com.example.DoesNotExist\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            PluginRegistry registry = PluginRegistry.builder().discover(loader).build();
            assertThat(registry.failures()).singleElement().satisfies(f -> assertThat(f.message()).contains("com.example.DoesNotExist"));
            assertThat(registry.names(PluginKind.ACTIVATION)).contains("relu");
        }
    }

    @Test
    void invalidNamesAreRefusedByName() {
        ActivationProvider blank = named(" ");
        ActivationProvider upper = named("LeakyReLU");
        assertThatThrownBy(() -> PluginRegistry.builder().register(blank))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_NAME_INVALID))
                .hasMessageContaining("invalid name ' '").hasMessageContaining("kebab-case");
        assertThatThrownBy(() -> PluginRegistry.builder().register(upper)).hasMessageContaining("invalid name 'LeakyReLU'");
    }

    @Test
    void suggestionsOnlyForPlausibleTypos() {
        assertThat(NameSuggestions.closest("tahn", java.util.List.of("tanh", "relu"))).contains("tanh");
        assertThat(NameSuggestions.closest("xyzzy", java.util.List.of("tanh", "relu"))).isEmpty();
        assertThat(NameSuggestions.distance("kitten", "sitting")).isEqualTo(3);
    }

    private static ActivationProvider named(String name) {
        return new ActivationProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Activation create(PluginParameters parameters) {
                throw new UnsupportedOperationException();
            }
        };
    }

    /** A loader that sees the test class path plus a service file listing {@code provider}. */
    private URLClassLoader servicesLoader(Path dir, Class<?> provider) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(ActivationProvider.class.getName()), provider.getName() + "\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }
}
