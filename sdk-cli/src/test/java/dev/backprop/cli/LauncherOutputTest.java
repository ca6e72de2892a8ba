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
        Files.copy(Path.of("..", "backprop"), root.resolve("backprop"));
        Path lib = Files.createDirectories(root.resolve("sdk-cli/target/lib"));
        Files.writeString(lib.resolve(".built"), "");
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\ntouch \"" + root.resolve("java-ran") + "\"\necho printed\n");
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
    void withStandardOutputClosedTheLauncherFailsWithTheReasonAndRunsNothing() throws Exception {
        assertThat(finish(launch(">&-"))).isEqualTo(1);
        assertThat(Files.readAllLines(root.resolve("err.txt"))).containsExactly(
                "error: [BP-503] standard output: could not be written: bad file descriptor (it is closed); nothing was run.");
        assertThat(root.resolve("java-ran")).doesNotExist();
        assertThat(root.resolve("out.txt")).isEmptyFile();
    }
}
