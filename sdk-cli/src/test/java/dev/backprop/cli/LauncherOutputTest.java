package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./backprop} launcher with its standard output closed: it used to fail to hand the descriptor
 * on, print "Bad file descriptor" and exit 0. A copy of the script runs in a folder whose build is up to
 * date, with a stand-in {@code java} that records that it ran, so that no Maven build is started.
 */
class LauncherOutputTest {
    @TempDir
    Path root;

    private Process launch(String shellRedirect) throws Exception {
        return launch(shellRedirect, "echo printed\n");
    }

    private Process launch(String shellRedirect, String javaBody) throws Exception {
        Files.copy(Path.of("..", "backprop"), root.resolve("backprop"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path lib = Files.createDirectories(root.resolve("sdk-cli/target/lib"));
        Files.writeString(lib.resolve(".built"), "");
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\ntouch \"" + root.resolve("java-ran") + "\"\n" + javaBody);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", "exec bash \"$0\" --version " + shellRedirect, root.resolve("backprop").toString())
                .redirectOutput(root.resolve("out.txt").toFile()).redirectError(root.resolve("err.txt").toFile());
        Map<String, String> env = builder.environment();
        env.put("PATH", bin + File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));
        return builder.start();
    }

    private static int finish(Process process) throws InterruptedException {
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the launcher finished").isTrue();
        return process.exitValue();
    }

    @Test
    void withStandardOutputOpenTheCommandRuns() throws Exception {
        assertThat(finish(launch(""))).as(Files.readString(root.resolve("err.txt"))).isZero();
        assertThat(root.resolve("out.txt")).hasContent("printed");
        assertThat(root.resolve("java-ran")).exists();
    }

    @Test
    void theIncubatorWarningIsDroppedWhereverTheJvmPrintsItAndEveryOtherLineIsKept() throws Exception {
        // With JAVA_TOOL_OPTIONS set the JVM prints "Picked up ..." first and the warning second.
        String body = "printf 'Picked up JAVA_TOOL_OPTIONS: -Duser.language=tr\\n' >&2\n"
                + "printf 'WARNING: Using incubator modules: jdk.incubator.vector\\n' >&2\n"
                + "printf 'error: a real line\\nWARNING: Using incubator modules: kept once the JVM has started\\nno newline' >&2\n"
                + "echo printed\n";
        assertThat(finish(launch("", body))).isZero();
        assertThat(root.resolve("err.txt")).hasContent("Picked up JAVA_TOOL_OPTIONS: -Duser.language=tr\nerror: a real line\n"
                + "WARNING: Using incubator modules: kept once the JVM has started\nno newline");
        assertThat(root.resolve("out.txt")).hasContent("printed");

        // Without the options it is the first line, and dropped as before.
        assertThat(finish(launch("", "printf 'WARNING: Using incubator modules: jdk.incubator.vector\\nafter\\n' >&2\n"))).isZero();
        assertThat(root.resolve("err.txt")).hasContent("after");
    }

    @Test
    void withStandardOutputClosedTheLauncherFailsWithTheReasonAndRunsNothing() throws Exception {
        assertThat(finish(launch(">&-"))).isEqualTo(1);
        assertThat(Files.readAllLines(root.resolve("err.txt"))).containsExactly(
                "error: [BP-503] standard output: could not be written: bad file descriptor (it is closed); nothing was run.");
        assertThat(root.resolve("java-ran")).doesNotExist();
        assertThat(root.resolve("out.txt")).isEmptyFile();
    }
}
