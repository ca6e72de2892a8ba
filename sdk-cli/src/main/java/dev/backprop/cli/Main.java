package dev.backprop.cli;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.io.IoErrors;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Starts the {@code backprop} command. Exit codes: 0 on success, 2 on a bad configuration or bad
 * arguments, 1 on a failure during the run.
 */
public final class Main {
    /** Success. */
    public static final int OK = 0;
    /** The run itself failed. */
    public static final int RUN_FAILED = 1;
    /** The arguments or the configuration are wrong. */
    public static final int BAD_INPUT = 2;

    /** What an out-of-memory error that even its report could not get past says; a constant, as nothing can be allocated. */
    static final String OUT_OF_MEMORY = "error: [BP-901] out of memory (Java heap space), and the heap stayed full; give Java more "
            + "with BACKPROP_JAVA_OPTS=-Xmx..., or use smaller data, a smaller network, or remove a plugin that keeps memory.";

    private Main() {
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        ProcessExit.guard();
        // Standard output goes through a stream that keeps the reason a write failed (a full disk, a closed
        // descriptor); System.setOut makes anything else printed to it, a plugin's output say, count too.
        CheckedOutput stdout = new CheckedOutput(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        System.setOut(new PrintStream(stdout, true, consoleCharset()));
        PrintWriter err = new PrintWriter(System.err, true);
        int code;
        try {
            code = run(args, new PrintWriter(System.out, true), err);
        } catch (OutOfMemoryError e) {
            // The heap is still full (a plugin keeps what it leaked), so even the report ran out: a constant line.
            System.err.println(OUT_OF_MEMORY);
            code = RUN_FAILED;
        }
        ProcessExit.exit(checkWritten(code, stdout, err));
    }

    /**
     * Output that did not reach standard output makes a successful command fail, as GNU tools do: the
     * reason is printed (the operating system's, such as {@code no space left on device}) and the exit code
     * becomes 1. A command that failed already keeps its own exit code.
     *
     * @return the exit code
     */
    static int checkWritten(int code, CheckedOutput stdout, PrintWriter err) {
        System.out.flush();
        IOException failure = stdout.failure();
        if (failure == null) {
            return code;
        }
        err.println("error: [" + ErrorCode.OUTPUT_FAILED.id() + "] standard output: could not be written: " + IoErrors.reason(failure)
                + "; what the command printed was lost.");
        err.flush();
        return code == OK ? RUN_FAILED : code;
    }

    /** The charset System.out had: stdout.encoding (Java 19+), else the console's or the platform's. */
    private static Charset consoleCharset() {
        String name = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding"));
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }

    /**
     * Prints one {@code error:} line with the error's code, and the stack trace only when verbose.
     *
     * @return the exit code
     */
    static int report(Throwable e, boolean verbose, PrintWriter err) {
        boolean input = e instanceof BackpropException bp && bp.code().isInputError();
        String message;
        if (e instanceof BackpropException) {
            message = e.getMessage();
        } else if (e instanceof OutOfMemoryError) {
            message = "[" + dev.backprop.api.ErrorCode.INTERNAL_FAILED.id() + "] out of memory (" + e.getMessage() + "); give Java more with BACKPROP_JAVA_OPTS=-Xmx..., or use "
                    + "smaller data or a smaller network.";
        } else {
            message = "[" + dev.backprop.api.ErrorCode.INTERNAL_FAILED.id() + "] internal error: " + dev.backprop.core.plugin.PluginFaults.describe(e)
                    + "; please report it with the output of --verbose.";
        }
        err.println("error: " + message);
        if (verbose) {
            e.printStackTrace(err);
        } else if (!(e instanceof BackpropException)) {
            err.println("(run with --verbose for the stack trace)");
        }
        err.flush();
        return input ? BAD_INPUT : RUN_FAILED;
    }

    /**
     * Runs the command without exiting the JVM, for tests and embedding.
     *
     * @param args the command line
     * @param out where normal output goes
     * @param err where errors go
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean verbose = Arrays.stream(args).anyMatch(a -> a.equals("--verbose") || a.equals("-v"));
        boolean quiet = Arrays.stream(args).anyMatch(a -> a.equals("--quiet") || a.equals("-q"));
        // Read by logback.xml; must be set before the first logger is created. On a terminal the progress
        // bar shows each epoch; elsewhere (CI, a pipe) one INFO line per epoch does; --quiet silences both.
        System.setProperty("backprop.log.level", verbose ? "DEBUG" : "INFO");
        System.setProperty("backprop.spark.level", verbose ? "INFO" : "ERROR");
        System.setProperty("backprop.console.level", verbose ? "DEBUG" : quiet || Terminal.isInteractive() ? "WARN" : "INFO");
        System.setProperty("java.awt.headless", "true");
        CommandLine cli = new CommandLine(new BackpropCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, verbose, err));
        cli.setParameterExceptionHandler((e, arguments) -> {
            PrintWriter to = e.getCommandLine().getErr();
            String message = String.valueOf(e.getMessage());
            to.println("error: [" + dev.backprop.api.ErrorCode.ARGUMENT_INVALID.id() + "] "
                    + (message.length() > 500 ? message.substring(0, 500) + "..." : message));
            CommandLine.UnmatchedArgumentException.printSuggestions(e, to);
            to.println("(see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            to.flush();
            return BAD_INPUT;
        });
        cli.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? BAD_INPUT : RUN_FAILED);
        int code;
        try {
            code = cli.execute(args);
        } catch (StackOverflowError | LinkageError | OutOfMemoryError e) {
            // picocli passes Errors through; they get one line too, not a thousand-line trace.
            code = report(e, verbose, err);
        }
        out.flush();
        err.flush();
        return code == CommandLine.ExitCode.USAGE ? BAD_INPUT : code;
    }
}
