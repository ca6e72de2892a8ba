package dev.backprop.core.plugin;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs the plugin calls that discovery makes (service iteration, a provider's construction and static
 * initialiser, {@code name()}, {@code parameters()}) on a daemon thread with a time bound, so that a
 * plugin that never returns fails the command with {@link ErrorCode#PLUGIN_LOAD_FAILED} naming the jar
 * and the class instead of hanging it. The bound is {@value #DEFAULT_SECONDS} s, or the number of
 * seconds in the system property {@value #TIMEOUT_PROPERTY}; it only has to catch a plugin that never
 * returns, so it is generous for a loaded machine.
 *
 * <p>The call under way is remembered ({@link #current()}), so that a plugin that ends the JVM from
 * inside it can be named by whoever reports the exit.
 */
public final class PluginCalls {
    /** The system property that sets the bound, in seconds (a decimal number greater than 0). */
    public static final String TIMEOUT_PROPERTY = "backprop.plugin-timeout";
    /** The bound when the property is not set. */
    public static final int DEFAULT_SECONDS = 30;

    private static volatile String current;

    private PluginCalls() {
    }

    /** @return the plugin call under way, for example {@code name() of com.example.P (plugins/p.jar)}, or null */
    public static String current() {
        return current;
    }

    /** An exceeded bound: rethrown by the folder loader rather than recorded as one jar's failure. */
    static final class TimedOut extends BackpropException {
        private static final long serialVersionUID = 1L;

        TimedOut(String message) {
            super(ErrorCode.PLUGIN_LOAD_FAILED, message);
        }
    }

    /**
     * @param what the call and the plugin, for example {@code name() of the activation provider com.example.P (plugins/p.jar)}
     * @param call the call
     * @param <T> its result
     * @return what the call returned; what it threw is rethrown as it is
     * @throws BackpropException ({@link ErrorCode#PLUGIN_LOAD_FAILED}) if the call did not return within the bound
     */
    static <T> T call(String what, Supplier<T> call) {
        FutureTask<T> task = new FutureTask<>(call::get);
        Thread thread = new Thread(task, "plugin-call");
        thread.setDaemon(true);
        thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        double seconds = timeoutSeconds();
        String previous = current;
        current = what;
        try {
            thread.start();
            return task.get((long) (seconds * 1e9), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // The thread stays blocked (a daemon, it does not keep the JVM alive); nothing else waits for it.
            throw new TimedOut(what + " did not return within " + format(seconds) + " s; the plugin hangs (a static initialiser, "
                    + "constructor or method that never returns). Fix or remove the plugin jar; if it is only slow, raise the bound "
                    + "with BACKPROP_JAVA_OPTS=-D" + TIMEOUT_PROPERTY + "=SECONDS.");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackpropException(ErrorCode.PLUGIN_LOAD_FAILED, what + " was interrupted.");
        } finally {
            current = previous;
        }
    }

    static double timeoutSeconds() {
        String value = System.getProperty(TIMEOUT_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_SECONDS;
        }
        try {
            double seconds = Double.parseDouble(value.trim());
            if (seconds > 0 && seconds <= 86_400) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BackpropException(ErrorCode.ARGUMENT_INVALID, "-D" + TIMEOUT_PROPERTY + "=" + value
                + ": expected a number of seconds greater than 0 and at most 86400.");
    }

    private static String format(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }
}
