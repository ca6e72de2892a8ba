package dev.backprop.core.plugin;

import dev.backprop.api.ApiVersion;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.PluginKind;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads the plugin jars of one folder into a {@link PluginRegistry.Builder}, each jar isolated: a named
 * module in a module layer of its own (when the SDK runs as a named module), any other jar in a class
 * loader of its own. The loaders stay open for as long as the registry is used.
 */
final class PluginFolder {
    private static final String API_MODULE = "dev.backprop.api";

    private PluginFolder() {
    }

    static void load(Path folder, PluginRegistry.Builder builder) {
        if (!Files.isDirectory(folder)) {
            throw new BackpropException(ErrorCode.IO_FAILED, "The plugin folder " + folder + " does not exist or is not a folder.");
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(folder)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new BackpropException(ErrorCode.IO_FAILED, "The plugin folder " + folder + " could not be read: " + e.getMessage(), e);
        }
        for (Path jar : jars) {
            loadJar(jar, builder);
        }
    }

    private static void loadJar(Path jar, PluginRegistry.Builder builder) {
        String source = jar.toString();
        try {
            Optional<ModuleDescriptor> named = namedModule(jar);
            String builtFor = apiVersionOf(jar, named.orElse(null));
            if (builtFor != null && !isCompatible(builtFor)) {
                builder.fail(new LoadFailure(null, "(whole jar)", source, "built for Backprop API " + builtFor
                        + "; this SDK provides API " + ApiVersion.current() + " and loads plugins built for API "
                        + ApiVersion.MAJOR + ".x. Rebuild the plugin against sdk-api " + ApiVersion.MAJOR + ".x."));
                return;
            }
            Module sdk = PluginFolder.class.getModule();
            if (named.isPresent() && sdk.isNamed() && sdk.getLayer() != null) {
                ModuleLayer parent = sdk.getLayer();
                Configuration configuration = parent.configuration()
                        .resolveAndBind(ModuleFinder.of(jar), ModuleFinder.of(), Set.of(named.get().name()));
                ModuleLayer layer = parent.defineModulesWithOneLoader(configuration, PluginFolder.class.getClassLoader());
                for (PluginKind kind : PluginKind.values()) {
                    builder.load(kind, ServiceLoader.load(layer, kind.providerType()), source, true);
                }
            } else {
                // Kept open on purpose: the plugin's classes are used for as long as the registry is.
                URLClassLoader loader = new URLClassLoader("plugin:" + jar.getFileName(), new URL[] {jar.toUri().toURL()},
                        PluginFolder.class.getClassLoader());
                for (PluginKind kind : PluginKind.values()) {
                    builder.load(kind, ServiceLoader.load(kind.providerType(), loader), source, true);
                }
            }
        } catch (PluginCalls.TimedOut e) {
            throw e;
        } catch (IOException | RuntimeException | LinkageError e) {
            builder.fail(new LoadFailure(null, "(whole jar)", source, "could not be loaded: " + e));
        }
    }

    /**
     * The jar's module descriptor if it has a {@code module-info.class} (also in a multi-release jar);
     * read directly, so that a jar whose file name makes no valid automatic-module name still loads.
     */
    private static Optional<ModuleDescriptor> namedModule(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile(), true, java.util.zip.ZipFile.OPEN_READ, Runtime.version())) {
            var entry = file.getJarEntry("module-info.class");
            if (entry == null) {
                return Optional.empty();
            }
            try (var in = file.getInputStream(entry)) {
                return Optional.of(ModuleDescriptor.read(in));
            }
        }
    }

    /** The API version the jar was built against: its manifest attribute, else its module's compiled requires. */
    private static String apiVersionOf(Path jar, ModuleDescriptor descriptor) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            var manifest = file.getManifest();
            if (manifest != null) {
                String declared = manifest.getMainAttributes().getValue(ApiVersion.MANIFEST_ATTRIBUTE);
                if (declared != null) {
                    return declared.trim();
                }
            }
        }
        if (descriptor != null) {
            for (ModuleDescriptor.Requires requires : descriptor.requires()) {
                if (requires.name().equals(API_MODULE) && requires.rawCompiledVersion().isPresent()) {
                    return requires.rawCompiledVersion().get();
                }
            }
        }
        return null;
    }

    private static boolean isCompatible(String version) {
        try {
            return ApiVersion.isCompatible(version);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
