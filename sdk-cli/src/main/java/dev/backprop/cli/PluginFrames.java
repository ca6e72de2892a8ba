package dev.backprop.cli;

import java.util.Map;

/**
 * Names the plugin code a thread is in, from the JVM's stack traces, for the two moments when the SDK
 * cannot ask the plugin: a {@code System.exit} from inside a plugin call, and a Ctrl-C while a plugin call
 * does not return. A frame belongs to a plugin when its class is neither the JDK's, the SDK's engine
 * (sdk-api, sdk-core, sdk-cli) nor a library the CLI ships; a call under way must have been made by the engine.
 */
final class PluginFrames {
    private static final String[] NOT_PLUGINS = {"java.", "javax.", "jdk.", "sun.", "com.sun.", "dev.backprop.api.",
        "dev.backprop.core.", "dev.backprop.cli.", "picocli.", "org.slf4j.", "ch.qos.", "com.google.", "org.knowm.", "de.erichseifert.",
        "com.fasterxml.", "org.yaml.", "org.snakeyaml.", "jakarta.", "org.apache.", "scala.", "io.netty.", "org.eclipse.",
        "com.esotericsoftware.", "org.json4s.", "com.codahale."};

    private PluginFrames() {
    }

    /**
     * @return the method that called {@code System.exit} or {@code Runtime.exit}, as
     *     {@code com.example.P.apply}, with the SDK method that called it; or null if no thread is exiting
     */
    static String exitCaller() {
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] frames = entry.getValue();
            for (int i = 0; i < frames.length - 1; i++) {
                if (frames[i].getClassName().equals("java.lang.Runtime") && frames[i].getMethodName().equals("exit")) {
                    int caller = i + 1;
                    if (frames[caller].getClassName().equals("java.lang.System") && caller + 1 < frames.length) {
                        caller++;
                    }
                    return describe(frames, caller);
                }
            }
        }
        return null;
    }

    /**
     * @return the innermost plugin frame of a thread that is running SDK code, as
     *     {@code com.example.P.apply (called from dev.backprop.core.network.ActivationLayer.forward) in thread main}; or null
     */
    static String pluginCallUnderWay() {
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] frames = entry.getValue();
            for (int i = 0; i < frames.length; i++) {
                if (isPlugin(frames[i].getClassName())) {
                    if (calledFromTheEngine(frames, i)) {
                        return describe(frames, i) + " in thread " + entry.getKey().getName();
                    }
                    break;
                }
            }
        }
        return null;
    }

    private static boolean calledFromTheEngine(StackTraceElement[] frames, int at) {
        for (int i = at + 1; i < frames.length; i++) {
            if (frames[i].getClassName().startsWith("dev.backprop.core.")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(StackTraceElement[] frames, int at) {
        StringBuilder text = new StringBuilder(frames[at].getClassName()).append('.').append(frames[at].getMethodName());
        for (int i = at + 1; i < frames.length; i++) {
            String name = frames[i].getClassName();
            if (name.startsWith("dev.backprop.core.") || name.startsWith("dev.backprop.cli.")) {
                text.append(" (called from ").append(name).append('.').append(frames[i].getMethodName()).append(')');
                break;
            }
        }
        return text.toString();
    }

    static boolean isPlugin(String className) {
        for (String prefix : NOT_PLUGINS) {
            if (className.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }
}
