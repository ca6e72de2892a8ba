package dev.backprop.cli;

import java.io.Console;

/** Whether a person is watching: standard output is an interactive terminal. */
final class Terminal {
    private Terminal() {
    }

    static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+ returns a Console even for redirected streams; isTerminal() tells the difference.
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before JDK 22 a non-null console is a terminal
        }
    }
}
