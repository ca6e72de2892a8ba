package dev.backprop.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Architecture rules, checked on the compiled module descriptors and the sources. */
class ArchitectureTest {
    private static final Path ROOT = Path.of("..");

    private static ModuleDescriptor descriptor(String module) throws IOException {
        try (InputStream in = Files.newInputStream(ROOT.resolve(module).resolve("target/classes/module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void theApiDependsOnTheJdkAloneAndExportsOnePackage() throws IOException {
        ModuleDescriptor api = descriptor("sdk-api");
        assertThat(api.name()).isEqualTo("dev.backprop.api");
        assertThat(api.requires()).extracting(ModuleDescriptor.Requires::name).containsExactly("java.base");
        assertThat(api.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("dev.backprop.api");
        assertThat(Files.readString(ROOT.resolve("sdk-api/pom.xml"))).doesNotContain("<scope>compile</scope>")
                .doesNotContain("<artifactId>sdk-core</artifactId>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"activations", "losses", "optimizers", "initializers", "schedules"})
    void pluginModulesExportNothingAndNeedOnlyTheApi(String family) throws IOException {
        ModuleDescriptor plugin = descriptor("plugins/" + family);
        assertThat(plugin.exports()).isEmpty();
        assertThat(plugin.requires()).extracting(ModuleDescriptor.Requires::name).containsExactlyInAnyOrder("java.base", "dev.backprop.api");
        assertThat(plugin.provides()).isNotEmpty();
        // Every class provided in module-info is also listed in META-INF/services, so the class path sees it too.
        for (ModuleDescriptor.Provides provides : plugin.provides()) {
            Path services = ROOT.resolve("plugins/" + family + "/src/main/resources/META-INF/services/" + provides.service());
            List<String> listed = Files.readAllLines(services).stream().map(String::trim).filter(s -> !s.isEmpty())
                    .toList();
            assertThat(listed).as(services.toString()).containsExactlyInAnyOrderElementsOf(provides.providers());
        }
    }

    @Test
    void theCoreUsesEverySpi() throws IOException {
        assertThat(descriptor("sdk-core").uses()).containsExactlyInAnyOrder("dev.backprop.api.ActivationProvider",
                "dev.backprop.api.LossFunctionProvider", "dev.backprop.api.OptimizerProvider",
                "dev.backprop.api.WeightInitializerProvider", "dev.backprop.api.LearningRateScheduleProvider",
                "dev.backprop.core.cluster.ClusterBackend", "dev.backprop.core.experiment.DistributedTraining");
        // The experiment package finds the cluster driver as a service, so it never depends on the cluster package.
        assertThat(descriptor("sdk-core").provides()).extracting(ModuleDescriptor.Provides::service)
                .containsExactly("dev.backprop.core.experiment.DistributedTraining");
    }

    @Test
    void onlySdkSparkAndItsBenchmarksKnowSpark() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> !f.toString().contains(java.io.File.separator + "target" + java.io.File.separator)
                    && !f.startsWith(ROOT.resolve("sdk-spark")) && !f.startsWith(ROOT.resolve("benchmarks-spark"))).toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".java") && !name.equals("ArchitectureTest.java")) {
                    assertThat(Files.readString(file)).as(file.toString()).doesNotContain("org.apache.spark");
                } else if (name.equals("pom.xml") && !file.equals(ROOT.resolve("pom.xml"))
                        && !file.equals(ROOT.resolve("bom/pom.xml"))) {
                    // The root and the BOM only pin sdk-spark's version; no module may depend on it.
                    assertThat(Files.readString(file)).as(file.toString()).doesNotContain("<artifactId>sdk-spark</artifactId>")
                            .doesNotContain("<groupId>org.apache.spark</groupId>");
                }
            }
        }
    }

    @Test
    void libraryCodeNeverPrintsToTheConsole() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Stream.of("sdk-api", "sdk-core", "sdk-testkit", "plugins")
                .flatMap(m -> walk(ROOT.resolve(m)))) {
            offenders = files.filter(p -> p.toString().contains("src" + java.io.File.separator + "main") && p.toString().endsWith(".java"))
                    .filter(p -> {
                        String text = read(p);
                        return text.contains("System.out") || text.contains("System.err") || text.contains("printStackTrace");
                    })
                    .map(Path::toString).collect(Collectors.toList());
        }
        assertThat(offenders).as("library code logs through SLF4J or reports through exceptions").isEmpty();
    }

    private static Stream<Path> walk(Path dir) {
        try {
            return Files.walk(dir).toList().stream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
