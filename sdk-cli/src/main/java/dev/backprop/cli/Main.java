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
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
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
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean input = e instanceof BackpropException bp && bp.code().isInputError();
            err.println("error: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            } else if (!(e instanceof BackpropException)) {
                err.println("(run with --verbose for the stack trace)");
            }
            return input ? BAD_INPUT : RUN_FAILED;
        });
        cli.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? BAD_INPUT : RUN_FAILED);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code == CommandLine.ExitCode.USAGE ? BAD_INPUT : code;
    }
}
