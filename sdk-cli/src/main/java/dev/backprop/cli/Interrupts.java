package dev.backprop.cli;

import sun.misc.Signal;

/**
 * Ctrl-C during training: the first SIGINT asks the run to stop after the current batch (it then writes
 * a checkpoint and exits with a message on how to resume); a second one ends the JVM at once.
 */
final class Interrupts {
    private Interrupts() {
    }

    /** System property: seconds after the first Ctrl-C before a plugin call that has not returned is named. */
    static final String NOTICE_PROPERTY = "backprop.stop-notice";
    static final int DEFAULT_NOTICE_SECONDS = 10;

    static void onFirstInterrupt(Runnable action) {
        try {
            Signal.handle(new Signal("INT"), first -> {
                action.run();
                System.err.println("\nstopping after the current batch to write a checkpoint (a distributed run cancels its "
                        + "Spark job instead, keeping its newest checkpoint; Ctrl-C again to quit at once)");
                Signal.handle(new Signal("INT"), second -> Runtime.getRuntime().halt(TrainCommand.INTERRUPTED));
                watchForAStuckPlugin();
            });
        } catch (IllegalArgumentException e) {
            // No SIGINT on this platform (or it is reserved): training simply cannot be interrupted cleanly.
        }
    }

    /**
     * A batch ends only when its plugin calls return: if one is still under way after the notice period,
     * say which, and that a second Ctrl-C ends the process. A daemon, so a run that ends stops it.
     */
    private static void watchForAStuckPlugin() {
        long millis = noticeMillis();
        Thread watcher = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            String call = PluginFrames.pluginCallUnderWay();
            if (call != null) {
                System.err.println("the current batch has not ended after " + millis / 1000.0 + " s: the plugin call " + call
                        + " has not returned. Ctrl-C again to end the process at once (exit code 130; the newest checkpoint is kept).");
            }
        }, "backprop-stop-notice");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static long noticeMillis() {
        return SecondsProperty.millis(NOTICE_PROPERTY, DEFAULT_NOTICE_SECONDS);
    }
}
