package dev.backprop.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The {@code backprop} command run in this JVM through {@link Main#run}, its output captured. */
final class InProcessCli {
    private InProcessCli() {
    }

    /** What a command printed and its exit code. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }
}
