package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins that never return or end the JVM themselves, each in a fresh JVM: every command still ends, with
 * one error naming the jar and the class, and never with exit code 0 for a command that did not finish.
 * "Never returns" is a latch nobody releases, so the small bounds set here are exceeded on any machine.
 */
class PluginMisbehaviourTest {
    private static final String BLOCK = "try { new java.util.concurrent.CountDownLatch(1).await(); } catch (InterruptedException e) { }";

    @TempDir
    Path dir;

    private Path plugin(String className, String members) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        TestPluginJars.activation(folder.resolve(className.toLowerCase(java.util.Locale.ROOT) + ".jar"), className, members);
        return folder;
    }

    private LaunchedJvm.Result plugins(Path folder, String... jvmOptions) throws Exception {
        return LaunchedJvm.onClassPath(dir, List.of(jvmOptions), "--plugins", folder.toString(), "plugins");
    }

    @Test
    void aStaticInitialiserThatNeverReturnsFailsTheCommandNamingTheJarAndTheClass() throws Exception {
        Path folder = plugin("Stuck", "static { " + BLOCK + " }\n public String name() { return \"stuck\"; }");
        LaunchedJvm.Result result = plugins(folder, "-Dbackprop.plugin-timeout=1");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("error: [BP-104] Constructing the activation provider com.example.Stuck (",
                "stuck.jar)", "did not return within 1 s", "-Dbackprop.plugin-timeout=SECONDS");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aNameThatNeverReturnsFailsTheCommandNamingTheJarAndTheClass() throws Exception {
        Path folder = plugin("Nameless", "public String name() { " + BLOCK + " return \"nameless\"; }");
        LaunchedJvm.Result result = plugins(folder, "-Dbackprop.plugin-timeout=0.5");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("error: [BP-104] name() of the activation provider com.example.Nameless (class path ",
                "nameless.jar)", "did not return within 0.5 s");
    }

    @Test
    void aPluginThatCallsSystemExitZeroCannotEndTheCommandWithSuccess() throws Exception {
        Path folder = plugin("Quitter", "public String name() { System.exit(0); return \"quitter\"; }");
        LaunchedJvm.Result result = plugins(folder);
        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.err()).contains("error: [BP-105] the process was told to exit (System.exit) during "
                + "name() of the activation provider com.example.Quitter (class path ", "quitter.jar)", "before the command finished");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aShutdownHookThatNeverReturnsDoesNotKeepTheProcessAliveAfterItsAnswer() throws Exception {
        Path folder = plugin("Lingering", "public Lingering() { Runtime.getRuntime().addShutdownHook(new Thread(() -> { " + BLOCK
                + " })); }\n public String name() { return \"lingering\"; }");
        LaunchedJvm.Result result = plugins(folder, "-Dbackprop.shutdown-grace=1");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("  lingering ", "(com.example.Lingering)", "  sigmoid ");

        // The command's own exit code survives the hook too.
        LaunchedJvm.Result failed = LaunchedJvm.onClassPath(dir, List.of("-Dbackprop.shutdown-grace=1"), "--plugins", folder.toString(),
                "validate", dir.resolve("missing.yaml").toString());
        assertThat(failed.exitCode()).as(failed.err()).isEqualTo(2);
        assertThat(failed.err()).contains("missing.yaml");
    }
}
