package dev.backprop.cli;

import dev.backprop.api.ErrorCode;
import dev.backprop.core.plugin.PluginCalls;
import sun.misc.Signal;

/**
 * How the {@code backprop} process ends, whatever its plugins do (docs/plugin-guide.md, "Shutdown"):
 * <ul>
 *   <li>a command that has not finished when the JVM starts to exit (a plugin called {@code System.exit})
 *       is reported as an error and the process ends with exit code 1, never with the plugin's code;</li>
 *   <li>once a command has finished and its output is flushed, shutdown hooks (a plugin's included) get
 *       {@value #DEFAULT_GRACE_SECONDS} s, or {@value #GRACE_PROPERTY} seconds, to finish; then the
 *       process ends with the command's exit code regardless;</li>
 *   <li>Ctrl-C or SIGTERM outside training ends the process with 130 or 143 under the same bound; a second
 *       one ends it at once.</li>
 * </ul>
 * Only {@link Main#main} installs this: {@link Main#run} inside a test or an application leaves the JVM alone.
 */
final class ProcessExit {
    /** System property: seconds that shutdown hooks get after the command's output is flushed. */
    static final String GRACE_PROPERTY = "backprop.shutdown-grace";
    static final int DEFAULT_GRACE_SECONDS = 10;

    private static volatile boolean exiting;

    private ProcessExit() {
    }

    /** Installs the shutdown hook that refuses an exit before the command finished, and the signal handlers. */
    static void guard() {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessExit::onUnexpectedExit, "backprop-exit-guard"));
        onSignal("INT", 130);
        onSignal("TERM", 143);
    }

    /** Ends the process with {@code code}, giving shutdown hooks the grace period and no more. */
    static void exit(int code) {
        exiting = true;
        long graceMillis = graceMillis();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(graceMillis);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(code);
        }, "backprop-exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        System.exit(code);
    }

    private static void onSignal(String name, int code) {
        try {
            Signal.handle(new Signal(name), signal -> {
                if (exiting) {
                    Runtime.getRuntime().halt(code);
                }
                exit(code);
            });
        } catch (IllegalArgumentException e) {
            // Not on this platform, or reserved by the JVM: the JVM's own handling stays.
        }
    }

    private static void onUnexpectedExit() {
        if (exiting) {
            return;
        }
        String plugin = PluginCalls.current();
        String caller = PluginFrames.exitCaller();
        String message;
        if (plugin != null) {
            message = "[" + ErrorCode.PLUGIN_FAILED.id() + "] the process was told to exit (System.exit) during " + plugin
                    + ", before the command finished; the plugin ended the JVM. Fix or remove the plugin.";
        } else if (caller != null && PluginFrames.isPlugin(caller)) {
            // A plugin called during the run (an activation's forward, an optimizer's step): its stack names it.
            message = "[" + ErrorCode.PLUGIN_FAILED.id() + "] the process was told to exit (System.exit) by the plugin code " + caller
                    + ", before the command finished; the plugin ended the JVM and the command did not complete. Fix or remove the plugin.";
        } else {
            message = "[" + ErrorCode.INTERNAL_FAILED.id() + "] the process was told to exit (System.exit) before the command "
                    + "finished, by a plugin or a library" + (caller == null ? "" : " (" + caller + ")") + "; the command did not complete.";
        }
        System.out.flush();
        System.err.println("error: " + message);
        System.err.flush();
        Runtime.getRuntime().halt(Main.RUN_FAILED);
    }

    private static long graceMillis() {
        return SecondsProperty.millis(GRACE_PROPERTY, DEFAULT_GRACE_SECONDS);
    }
}
