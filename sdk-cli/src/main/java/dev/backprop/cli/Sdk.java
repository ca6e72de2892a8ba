package dev.backprop.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.backprop.core.inject.BackpropModule;
import dev.backprop.core.plugin.PluginRegistry;

/** Builds the one injector of a command-line run: discovery first, then the Guice module binds the result. */
final class Sdk {
    private Sdk() {
    }

    static Injector injector(java.util.List<java.nio.file.Path> pluginDirs) {
        PluginRegistry.Builder plugins = PluginRegistry.builder().discover(PluginRegistry.class.getClassLoader());
        pluginDirs.forEach(plugins::discoverJars);
        return Guice.createInjector(new BackpropModule(plugins.build()));
    }
}
