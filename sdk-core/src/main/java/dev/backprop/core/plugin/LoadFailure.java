package dev.backprop.core.plugin;

import dev.backprop.api.PluginKind;

/**
 * A provider that {@link java.util.ServiceLoader} listed but that could not be loaded or constructed.
 * Discovery records it and carries on with the other providers.
 *
 * @param kind the kind of plugin being discovered
 * @param providerClass the provider class name, or {@code unknown} if the service file itself was bad
 * @param message what went wrong
 */
public record LoadFailure(PluginKind kind, String providerClass, String message) {
}
