package dev.backprop.core.plugin;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import java.util.function.Supplier;

/**
 * Describes what went wrong inside a plugin in one line: the exception inside an
 * {@link ExceptionInInitializerError}, and a {@link StackOverflowError} as what it is, never a
 * thousand-line trace.
 */
public final class PluginFaults {
    private PluginFaults() {
    }

    /**
     * @param fault what a plugin threw
     * @return its class and message, of the cause for an initializer error
     */
    public static String describe(Throwable fault) {
        Throwable shown = fault;
        while ((shown instanceof ExceptionInInitializerError || shown instanceof java.lang.reflect.InvocationTargetException)
                && shown.getCause() != null) {
            shown = shown.getCause();
        }
        String prefix = shown == fault ? "" : "its class " + initialising(shown) + "failed to initialise: ";
        if (shown instanceof StackOverflowError) {
            return prefix + "StackOverflowError (a recursion without end)";
        }
        String message = shown.getMessage();
        return prefix + shown.getClass().getName() + (message == null ? "" : ": " + dev.backprop.core.io.IoErrors.excerpt(message));
    }

    /** @return the class whose static initialiser threw, from the innermost {@code <clinit>} frame, and a space; or nothing */
    private static String initialising(Throwable cause) {
        for (StackTraceElement frame : cause.getStackTrace()) {
            if (frame.getMethodName().equals("<clinit>")) {
                return frame.getClassName() + " ";
            }
        }
        return "";
    }

    /**
     * @param fault a throwable
     * @return whether it is a plugin's fault to report as such (rather than a failure of the JVM itself)
     */
    public static boolean isPluginFault(Throwable fault) {
        return fault instanceof RuntimeException || fault instanceof StackOverflowError || fault instanceof LinkageError;
    }

    /**
     * Calls a plugin, turning its faults into {@link ErrorCode#PLUGIN_FAILED}.
     *
     * @param what the plugin, for example {@code the optimizer plugin 'adam' (com.example.Adam)}
     * @param call the call
     * @param <T> the result type
     * @return what the call returned
     */
    public static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (BackpropException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            throw new BackpropException(ErrorCode.PLUGIN_FAILED, what + " failed: " + describe(e), e);
        }
    }
}
