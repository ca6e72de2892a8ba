package dev.backprop.cli;

import sun.misc.Signal;

/**
 * Ctrl-C during training: the first SIGINT asks the run to stop after the current batch (it then writes
 * a checkpoint and exits with a message on how to resume); a second one ends the JVM at once.
 */
final class Interrupts {
    private Interrupts() {
    }

    static void onFirstInterrupt(Runnable action) {
        try {
            Signal.handle(new Signal("INT"), first -> {
                action.run();
                System.err.println("\nstopping after the current batch to write a checkpoint (a distributed run cancels its "
                        + "Spark job instead, keeping its newest checkpoint; Ctrl-C again to quit at once)");
                Signal.handle(new Signal("INT"), second -> Runtime.getRuntime().halt(TrainCommand.INTERRUPTED));
            });
        } catch (IllegalArgumentException e) {
            // No SIGINT on this platform (or it is reserved): training simply cannot be interrupted cleanly.
        }
    }
}
