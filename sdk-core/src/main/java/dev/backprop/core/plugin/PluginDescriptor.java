package dev.backprop.core.plugin;

import dev.backprop.api.PluginKind;
import dev.backprop.api.PluginProvider;

/**
 * A discovered plugin: its kind, name, provider and where it came from.
 *
 * @param kind the plugin kind
 * @param name the plugin name
 * @param provider the provider instance
 * @param origin where the provider class was loaded from: a module name, a jar or folder path, or
 *     {@code registered by hand}
 */
public record PluginDescriptor(PluginKind kind, String name, PluginProvider<?> provider, String origin) {

    /** @return the fully qualified class name of the provider */
    public String providerClass() {
        return provider.getClass().getName();
    }

    static String originOf(Class<?> type) {
        Module module = type.getModule();
        String where = "";
        try {
            var source = type.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                where = source.getLocation().getPath();
            }
        } catch (SecurityException e) {
            where = "";
        }
        if (module.isNamed()) {
            return "module " + module.getName() + (where.isEmpty() ? "" : " (" + where + ")");
        }
        return where.isEmpty() ? "class path" : "class path " + where;
    }
}
