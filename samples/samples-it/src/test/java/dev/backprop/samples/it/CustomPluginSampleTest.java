package dev.backprop.samples.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.cli.LaunchedJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Follows the plugin guide from scratch: copies the stand-alone custom-plugin project to a scratch
 * folder, builds it with its own pom (against the installed sdk-api and sdk-testkit, running its kit-based
 * tests), drops the jar in a folder and runs an experiment that uses both of its plugins by name through
 * {@code backprop --plugins}, on the module path and on the class path.
 */
class CustomPluginSampleTest {
    private static final Path SAMPLE = Path.of("..", "custom-plugin").toAbsolutePath().normalize();

    @Test
    void thirdPartyPluginBuildsAndRunsThroughTheCli(@TempDir Path scratch) throws Exception {
        Path project = scratch.resolve("custom-plugin");
        copy(SAMPLE, project);
        int status = maven(project, "-B", "-q", "package");
        assertThat(status).as("the sample builds as written, with its kit-based tests").isZero();
        Path plugins = Files.createDirectories(scratch.resolve("plugins"));
        Files.copy(project.resolve("target/custom-plugin-1.0.0.jar"), plugins.resolve("custom-plugin-1.0.0.jar"));

        LaunchedJvm.Result run = LaunchedJvm.onModulePath(scratch, "--plugins", plugins.toString(), "train",
                project.resolve("experiment.yaml").toString(), "--out", scratch.resolve("run").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("accuracy 100.00%");
        assertThat(scratch.resolve("run/config.yaml")).content().contains("activation softplus", "optimizer rmsprop");

        LaunchedJvm.Result listing = LaunchedJvm.onModulePath(scratch, "plugins", "--plugins", plugins.toString());
        assertThat(listing.exitCode()).as(listing.err()).isZero();
        assertThat(listing.out()).contains("softplus", "rmsprop", "from module com.example.backprop.plugins (" + plugins.resolve("custom-plugin-1.0.0.jar"));

        LaunchedJvm.Result classPath = LaunchedJvm.onClassPath(scratch, "plugins", "--plugins", plugins.toString());
        assertThat(classPath.exitCode()).as(classPath.err()).isZero();
        assertThat(classPath.out()).contains("softplus", "from class path " + plugins.resolve("custom-plugin-1.0.0.jar"));
    }

    static int maven(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("mvn"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("mvn did not finish in 10 minutes in " + dir);
        }
        return process.exitValue();
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.filter(p -> !from.relativize(p).startsWith("target")).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
