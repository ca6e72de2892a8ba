package dev.backprop.cli;

import dev.backprop.api.BackpropException;
import java.io.PrintWriter;
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

    private Main() {
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        ProcessExit.guard();
        ProcessExit.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
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
