package dev.backprop.samples.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.cli.LaunchedJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A project generated from the plugin archetype builds and passes its kit-based test as generated, and loads. */
class PluginArchetypeTest {

    @Test
    void generatedProjectBuildsAndItsPluginLoads(@TempDir Path scratch) throws Exception {
        int generated = CustomPluginSampleTest.maven(scratch, "-B", "-q",
                "org.apache.maven.plugins:maven-archetype-plugin:3.3.1:generate",
                "-DarchetypeGroupId=dev.backprop", "-DarchetypeArtifactId=plugin-archetype",
                "-DarchetypeVersion=" + System.getProperty("backprop.version", "0.1.0-SNAPSHOT"),
                "-DgroupId=com.acme", "-DartifactId=acme-plugin", "-Dversion=1.0.0", "-Dpackage=com.acme.plugin",
                "-DinteractiveMode=false");
        assertThat(generated).isZero();
        Path project = scratch.resolve("acme-plugin");
        assertThat(project.resolve("src/main/java/module-info.java")).content()
                .contains("provides dev.backprop.api.ActivationProvider with com.acme.plugin.ExampleActivation.Provider;");
        assertThat(project.resolve("src/main/resources/META-INF/services/dev.backprop.api.ActivationProvider")).content()
                .isEqualToIgnoringNewLines("com.acme.plugin.ExampleActivation$Provider");

        assertThat(CustomPluginSampleTest.maven(project, "-B", "-q", "package")).isZero();
        assertThat(project.resolve("target/surefire-reports/TEST-com.acme.plugin.ExampleActivationTest.xml")).content()
                .contains("tests=\"4\"", "failures=\"0\"");
        Path plugins = Files.createDirectories(scratch.resolve("plugins"));
        Files.copy(project.resolve("target/acme-plugin-1.0.0.jar"), plugins.resolve("acme-plugin-1.0.0.jar"));
        LaunchedJvm.Result listing = LaunchedJvm.onModulePath(scratch, "plugins", "--plugins", plugins.toString());
        assertThat(listing.exitCode()).as(listing.err()).isZero();
        assertThat(listing.out()).contains("acme-plugin-activation", "from module com.acme.plugin");
    }
}
