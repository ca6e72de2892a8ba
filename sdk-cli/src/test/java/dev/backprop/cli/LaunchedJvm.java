package dev.backprop.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the CLI in a fresh JVM, on the module path or the class path, and captures what it prints. The
 * path is the module's {@code target/runtime-path.txt} (written by the dependency plugin) plus its
 * {@code target/classes}; shared with other modules' tests through sdk-cli's test jar.
 */
public final class LaunchedJvm {
    /** What a finished JVM left behind. */
    public record Result(int exitCode, String out, String err) {
    }

    private LaunchedJvm() {
    }

    /** The runtime path Maven computed (see the pom) plus this module's classes. */
    public static String runtimePath() throws IOException {
        String dependencies = Files.readString(Path.of("target/runtime-path.txt")).trim();
        Path classes = Path.of("target/classes").toAbsolutePath();
        return Files.isDirectory(classes) ? classes + java.io.File.pathSeparator + dependencies : dependencies;
    }

    public static Result onModulePath(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(java());
        command.addAll(List.of("--module-path", runtimePath(),
                "--module", "dev.backprop.cli/dev.backprop.cli.Main"));
        command.addAll(List.of(args));
        return run(workDir, command);
    }

    /** Where a child's standard output goes. */
    public enum Stdout {
        /** A file, read back into {@link Result#out()}. */
        CAPTURED,
        /** {@code /dev/full}: every write fails with "No space left on device". */
        FULL_DEVICE,
        /** Closed ({@code >&-} in a shell): every write fails with "Bad file descriptor". */
        CLOSED
    }

    /**
     * Runs the CLI on the module path with its standard output set up as asked ({@link Result#out()} is
     * empty unless it is captured).
     */
    public static Result onModulePath(Path workDir, Stdout stdout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(java());
        command.addAll(List.of("--module-path", runtimePath(),
                "--module", "dev.backprop.cli/dev.backprop.cli.Main"));
        command.addAll(List.of(args));
        return switch (stdout) {
            case CAPTURED -> run(workDir, command);
            case FULL_DEVICE -> run(workDir, command, ProcessBuilder.Redirect.to(new java.io.File("/dev/full")));
            case CLOSED -> {
                List<String> shell = new ArrayList<>(List.of("sh", "-c", "exec \"$0\" \"$@\" >&-"));
                shell.addAll(command);
                yield run(workDir, shell, ProcessBuilder.Redirect.to(new java.io.File("/dev/null")));
            }
        };
    }

    public static Result onClassPath(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(java());
        command.addAll(List.of("-cp", runtimePath(), "dev.backprop.cli.Main"));
        command.addAll(List.of(args));
        return run(workDir, command);
    }

    /** As {@link #onClassPath(Path, String...)}, with JVM options (such as {@code -Dname=value}) before the main class. */
    public static Result onClassPath(Path workDir, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(java());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", runtimePath(), "dev.backprop.cli.Main"));
        command.addAll(List.of(args));
        return run(workDir, command);
    }

    /**
     * Starts the CLI on the module path, standard output to {@code outFile}. With a {@code seam} (see the CLI's
     * {@code EpochSeam}: {@code N:halt} or {@code N:hold}) standard error is a pipe for {@link #awaitSeam};
     * without one it goes to {@code errFile}.
     */
    public static Process start(Path workDir, String seam, Path outFile, Path errFile, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(java());
        if (seam != null) {
            command.add("-Dbackprop.test.at-epoch-end=" + seam);
        }
        command.addAll(List.of("--module-path", runtimePath(), "--module", "dev.backprop.cli/dev.backprop.cli.Main"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectOutput(outFile.toFile());
        if (seam == null) {
            builder.redirectError(errFile.toFile());
        }
        return builder.start();
    }

    /**
     * Reads the standard error of a process started with a seam, copying it to {@code errFile}, until the seam's
     * line ({@code backprop-test: ...}): the process is then at that exact epoch. No clock: a process that ends
     * first fails the test with what it printed.
     *
     * @return the thread that copies the rest of standard error; join it before reading {@code errFile}
     */
    public static Thread awaitSeam(Process process, Path errFile) throws IOException, InterruptedException {
        java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8));
        java.io.Writer copy = Files.newBufferedWriter(errFile, StandardCharsets.UTF_8);
        String line;
        while ((line = reader.readLine()) != null) {
            copy.write(line + "\n");
            copy.flush();
            if (line.startsWith("backprop-test: ")) {
                Thread rest = new Thread(() -> {
                    try (copy; reader) {
                        String more;
                        while ((more = reader.readLine()) != null) {
                            copy.write(more + "\n");
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, "stderr of " + process.pid());
                rest.setDaemon(true);
                rest.start();
                return rest;
            }
        }
        copy.close();
        throw new AssertionError("the process ended (exit " + process.waitFor() + ") before reaching its seam: "
                + Files.readString(errFile, StandardCharsets.UTF_8));
    }

    /**
     * The command that starts this JDK's {@code java}. A shell that starts a job in the background (the test
     * command run with {@code &} or {@code nohup}) makes it ignore SIGINT, children included, and the JVM then
     * cannot take Ctrl-C; so where Perl is at hand (Debian's perl-base always is) the child starts with SIGINT
     * restored to its default, and the Ctrl-C tests mean the same wherever the suite runs.
     */
    static List<String> java() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path perl = Path.of("/usr/bin/perl");
        if (!Files.isExecutable(perl)) {
            return List.of(java);
        }
        return List.of(perl.toString(), "-e", "$SIG{INT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die \"exec: $!\"", java);
    }

    private static Result run(Path workDir, List<String> command) throws IOException, InterruptedException {
        return run(workDir, command, null);
    }

    /** @param stdout where standard output goes, or {@code null} to capture it */
    private static Result run(Path workDir, List<String> command, ProcessBuilder.Redirect stdout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("backprop-out", ".txt");
        Path err = Files.createTempFile("backprop-err", ".txt");
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(stdout != null ? stdout : ProcessBuilder.Redirect.to(out.toFile())).redirectError(err.toFile()).start();
            // a hang detector only: generous enough for a machine at load 10
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("the CLI did not finish within 10 minutes: " + command);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
