package dev.backprop.core.plugin;

import dev.backprop.api.PluginKind;

/**
 * A provider that {@link java.util.ServiceLoader} listed but that could not be loaded or constructed.
 * Discovery records it and carries on with the other providers.
 *
 * @param kind the kind of plugin being discovered, or {@code null} if the whole jar failed
 * @param providerClass the provider class name, or {@code unknown} if it could not be determined
 * @param source the jar the provider came from, or {@code class path} / {@code module path}
 * @param message what went wrong
 */
public record LoadFailure(PluginKind kind, String providerClass, String source, String message) {

    /** @return one line for listings and error messages */
    public String describe() {
        return source + ": " + (kind == null ? "" : kind.label() + " provider ") + providerClass + ": " + message;
    }
}
