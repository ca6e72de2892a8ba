package dev.backprop.core.plugin;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.LearningRateSchedule;
import dev.backprop.api.LearningRateScheduleProvider;
import dev.backprop.api.LossFunction;
import dev.backprop.api.LossFunctionProvider;
import dev.backprop.api.Optimizer;
import dev.backprop.api.OptimizerProvider;
import dev.backprop.api.PluginKind;
import dev.backprop.api.PluginProvider;
import dev.backprop.api.WeightInitializer;
import dev.backprop.api.WeightInitializerProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every plugin the SDK knows, indexed by kind and name. Built once, immutable afterwards, safe to share
 * between threads.
 *
 * <p>{@link #discover()} finds the providers visible to this module through {@link ServiceLoader}
 * (module path and class path alike). {@link #builder()} gives full control: providers registered by
 * hand, discovery from other class loaders or module layers, or no discovery at all.
 *
 * <p>Two providers of one kind with one name are an error naming both classes; a provider that fails
 * to load is recorded in {@link #failures()} and logged, and does not stop the others from loading. A
 * plugin call made while discovering (listing, construction, {@code name()}, {@code parameters()}) that
 * does not return within {@link PluginCalls}' bound fails the whole build, naming the class and the jar.
 */
public final class PluginRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final int MAX_FAILURES_PER_KIND = 100;

    private final Map<PluginKind, Map<String, PluginDescriptor>> plugins;
    private final List<LoadFailure> failures;
    private final List<java.nio.file.Path> folders;

    private PluginRegistry(Map<PluginKind, Map<String, PluginDescriptor>> plugins, List<LoadFailure> failures,
            List<java.nio.file.Path> folders) {
        this.plugins = plugins;
        this.failures = failures;
        this.folders = folders;
    }

    /**
     * Discovers every provider visible to the SDK's own module or class loader.
     *
     * @return the registry
     * @throws BackpropException if two providers share a name or a name is invalid
     */
    public static PluginRegistry discover() {
        return builder().discover(PluginRegistry.class.getClassLoader()).build();
    }

    /** @return a builder that starts with no plugins */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param name an activation name
     * @return its provider
     * @throws BackpropException ({@link ErrorCode#PLUGIN_UNKNOWN}) listing the names that exist
     */
    public ActivationProvider activation(String name) {
        return (ActivationProvider) provider(PluginKind.ACTIVATION, name);
    }

    /**
     * @param name a loss name
     * @return its provider
     * @throws BackpropException ({@link ErrorCode#PLUGIN_UNKNOWN}) listing the names that exist
     */
    public LossFunctionProvider loss(String name) {
        return (LossFunctionProvider) provider(PluginKind.LOSS, name);
    }

    /**
     * @param name an optimizer name
     * @return its provider
     * @throws BackpropException ({@link ErrorCode#PLUGIN_UNKNOWN}) listing the names that exist
     */
    public OptimizerProvider optimizer(String name) {
        return (OptimizerProvider) provider(PluginKind.OPTIMIZER, name);
    }

    /**
     * @param name an initializer name
     * @return its provider
     * @throws BackpropException ({@link ErrorCode#PLUGIN_UNKNOWN}) listing the names that exist
     */
    public WeightInitializerProvider initializer(String name) {
        return (WeightInitializerProvider) provider(PluginKind.INITIALIZER, name);
    }

    /**
     * @param name a learning-rate schedule name
     * @return its provider
     * @throws BackpropException ({@link ErrorCode#PLUGIN_UNKNOWN}) listing the names that exist
     */
    public LearningRateScheduleProvider schedule(String name) {
        return (LearningRateScheduleProvider) provider(PluginKind.SCHEDULE, name);
    }

    /**
     * @param name an activation name
     * @param parameters its parameters, may be empty
     * @return a new activation
     */
    public Activation createActivation(String name, Map<String, ?> parameters) {
        var provider = activation(name);
        return PluginFaults.call("The activation plugin '" + name + "' (" + provider.getClass().getName() + ")",
                () -> provider.create(parameters));
    }

    /**
     * @param name a loss name
     * @param parameters its parameters, may be empty
     * @return a new loss function
     */
    public LossFunction createLoss(String name, Map<String, ?> parameters) {
        var provider = loss(name);
        return PluginFaults.call("The loss plugin '" + name + "' (" + provider.getClass().getName() + ")",
                () -> provider.create(parameters));
    }

    /**
     * @param name an optimizer name
     * @param parameters its parameters, may be empty
     * @return a new optimizer
     */
    public Optimizer createOptimizer(String name, Map<String, ?> parameters) {
        var provider = optimizer(name);
        return PluginFaults.call("The optimizer plugin '" + name + "' (" + provider.getClass().getName() + ")",
                () -> provider.create(parameters));
    }

    /**
     * @param name an initializer name
     * @param parameters its parameters, may be empty
     * @return a new initializer
     */
    public WeightInitializer createInitializer(String name, Map<String, ?> parameters) {
        var provider = initializer(name);
        return PluginFaults.call("The initializer plugin '" + name + "' (" + provider.getClass().getName() + ")",
                () -> provider.create(parameters));
    }

    /**
     * @param name a learning-rate schedule name
     * @param parameters its parameters, may be empty
     * @return a new schedule
     */
    public LearningRateSchedule createSchedule(String name, Map<String, ?> parameters) {
        var provider = schedule(name);
        return PluginFaults.call("The learning-rate schedule plugin '" + name + "' (" + provider.getClass().getName() + ")",
                () -> provider.create(parameters));
    }

    /**
     * @param kind a plugin kind
     * @param name a plugin name
     * @return the provider
     * @throws BackpropException ({@link ErrorCode#PLUGIN_UNKNOWN}) listing the names that exist and the
     *     closest one
     */
    public PluginProvider<?> provider(PluginKind kind, String name) {
        Map<String, PluginDescriptor> ofKind = plugins.get(kind);
        PluginDescriptor descriptor = name == null ? null : ofKind.get(name);
        if (descriptor == null) {
            if (ofKind.isEmpty()) {
                throw new BackpropException(ErrorCode.PLUGIN_UNKNOWN, "Unknown " + kind.label() + " '" + name
                        + "': no " + kind.label() + " plugins are installed. Put the plugin jars on the class path or module path: "
                        + "an application depends on dev.backprop:backprop, which brings every standard plugin (docs/embedding.md)."
                        + failureNote());
            }
            throw new BackpropException(ErrorCode.PLUGIN_UNKNOWN, "Unknown " + kind.label() + " '"
                    + dev.backprop.core.io.IoErrors.excerpt(name) + "'."
                    + (name == null ? "" : NameSuggestions.hint(name, ofKind.keySet()))
                    + " Available " + plural(kind.label()) + ": " + String.join(", ", ofKind.keySet()) + "." + failureNote());
        }
        return descriptor.provider();
    }

    private static String plural(String noun) {
        return noun.endsWith("s") ? noun + "es" : noun + "s";
    }

    private String failureNote() {
        if (failures.isEmpty()) {
            return "";
        }
        StringBuilder note = new StringBuilder(" Plugins that failed to load:");
        failures.forEach(f -> note.append(" [").append(f.describe()).append(']'));
        return note.toString();
    }

    /**
     * @param kind a plugin kind
     * @param name a plugin name
     * @return whether a plugin of that kind and name exists
     */
    public boolean contains(PluginKind kind, String name) {
        return plugins.get(kind).containsKey(name);
    }

    /**
     * @param kind a plugin kind
     * @return the names of all plugins of that kind, sorted
     */
    public List<String> names(PluginKind kind) {
        return List.copyOf(plugins.get(kind).keySet());
    }

    /**
     * @param kind a plugin kind
     * @return the plugins of that kind, sorted by name
     */
    public List<PluginDescriptor> descriptors(PluginKind kind) {
        return List.copyOf(plugins.get(kind).values());
    }

    /** @return every plugin, by kind and then by name */
    public List<PluginDescriptor> descriptors() {
        List<PluginDescriptor> all = new ArrayList<>();
        for (PluginKind kind : PluginKind.values()) {
            all.addAll(plugins.get(kind).values());
        }
        return Collections.unmodifiableList(all);
    }

    /** @return the providers that were listed but could not be loaded */
    public List<LoadFailure> failures() {
        return failures;
    }

    /**
     * @return the plugin folders this registry loaded jars from ({@link Builder#discoverJars}), included
     *     registries' too, as absolute paths: what a cluster's executors must load as well
     */
    public List<java.nio.file.Path> folders() {
        return folders;
    }

    /** Collects providers and checks their names. Not thread-safe; use once. */
    public static final class Builder {
        private final Map<PluginKind, Map<String, PluginDescriptor>> plugins = new EnumMap<>(PluginKind.class);
        private final List<LoadFailure> failures = new ArrayList<>();
        private final List<java.nio.file.Path> folders = new ArrayList<>();

        private Builder() {
            for (PluginKind kind : PluginKind.values()) {
                plugins.put(kind, new TreeMap<>());
            }
        }

        /**
         * Registers a provider by hand.
         *
         * @param provider a provider implementing one of the four provider interfaces
         * @return this builder
         * @throws BackpropException if its name is invalid or already taken
         */
        public Builder register(PluginProvider<?> provider) {
            Objects.requireNonNull(provider, "provider");
            add(PluginKind.of(provider), provider, "registered by hand");
            return this;
        }

        /**
         * Discovers providers with {@link ServiceLoader#load(Class, ClassLoader)}: on the module path
         * when the loader sees named modules, and from {@code META-INF/services} on the class path.
         *
         * @param loader the class loader to search
         * @return this builder
         */
        public Builder discover(ClassLoader loader) {
            for (PluginKind kind : PluginKind.values()) {
                load(kind, ServiceLoader.load(kind.providerType(), loader), "class path");
            }
            return this;
        }

        /**
         * Adds every plugin of another registry (and its load failures).
         *
         * @param registry the registry to include
         * @return this builder
         */
        public Builder include(PluginRegistry registry) {
            Objects.requireNonNull(registry, "registry must not be null");
            for (PluginDescriptor descriptor : registry.descriptors()) {
                add(descriptor.kind(), descriptor.provider(), descriptor.origin());
            }
            failures.addAll(registry.failures());
            registry.folders().forEach(this::addFolder);
            return this;
        }

        /**
         * Loads every {@code *.jar} in a folder: a jar that is a named module gets a module layer of its
         * own (when the SDK itself runs as a named module), any other jar a class loader of its own, and
         * the providers of each are discovered with {@link ServiceLoader}. A jar that fails to load, a
         * provider that throws, a plugin built for another API version or a name that is already taken is
         * recorded in {@link PluginRegistry#failures()} (naming the jar and the class) and logged; the
         * other plugins load regardless.
         *
         * @param folder a folder of plugin jars
         * @return this builder
         * @throws BackpropException ({@link ErrorCode#IO_FAILED}) if the folder does not exist
         */
        public Builder discoverJars(java.nio.file.Path folder) {
            PluginFolder.load(folder, this);
            addFolder(folder);
            return this;
        }

        private void addFolder(java.nio.file.Path folder) {
            java.nio.file.Path absolute = folder.toAbsolutePath().normalize();
            if (!folders.contains(absolute)) {
                folders.add(absolute);
            }
        }

        /**
         * Discovers the providers of the named modules in a module layer (and its parents).
         *
         * @param layer the layer to search
         * @return this builder
         */
        public Builder discover(ModuleLayer layer) {
            for (PluginKind kind : PluginKind.values()) {
                load(kind, ServiceLoader.load(layer, kind.providerType()), "module path");
            }
            return this;
        }

        /** @return the registry */
        public PluginRegistry build() {
            Map<PluginKind, Map<String, PluginDescriptor>> frozen = new EnumMap<>(PluginKind.class);
            plugins.forEach((kind, byName) -> frozen.put(kind, Collections.unmodifiableMap(new TreeMap<>(byName))));
            return new PluginRegistry(Collections.unmodifiableMap(frozen), List.copyOf(failures), List.copyOf(folders));
        }

        /** Records a failure that concerns a whole jar or one of its providers. */
        void fail(LoadFailure failure) {
            failures.add(failure);
            LOG.error("Could not load {}", failure.describe());
        }

        <S> void load(PluginKind kind, ServiceLoader<S> loader, String source) {
            load(kind, loader, source, false);
        }

        /** With {@code tolerateClashes}, a name clash is recorded as a failure instead of thrown. */
        <S> void load(PluginKind kind, ServiceLoader<S> loader, String source, boolean tolerateClashes) {
            Iterator<ServiceLoader.Provider<S>> providers = loader.stream().iterator();
            int failed = 0;
            while (failed < MAX_FAILURES_PER_KIND) {
                ServiceLoader.Provider<S> candidate;
                try {
                    candidate = PluginCalls.call("Listing the " + kind.label() + " providers of " + source,
                            () -> providers.hasNext() ? providers.next() : null);
                    if (candidate == null) {
                        return;
                    }
                } catch (ServiceConfigurationError e) {
                    failed++;
                    fail(kind, "unknown", source, e);
                    continue;
                }
                Object provider;
                try {
                    provider = PluginCalls.call("Constructing the " + kind.label() + " provider " + candidate.type().getName()
                            + " (" + source + ")", candidate::get);
                } catch (PluginCalls.TimedOut e) {
                    throw e;
                } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                    failed++;
                    fail(kind, candidate.type().getName(), source, e);
                    continue;
                }
                String origin = PluginDescriptor.originOf(provider.getClass());
                if (tolerateClashes) {
                    try {
                        add(kind, (PluginProvider<?>) provider, origin);
                    } catch (PluginCalls.TimedOut e) {
                        throw e;
                    } catch (BackpropException e) {
                        fail(new LoadFailure(kind, provider.getClass().getName(), source, e.detail()));
                    }
                } else {
                    add(kind, (PluginProvider<?>) provider, origin);
                }
            }
        }

        private void fail(PluginKind kind, String providerClass, String source, Throwable error) {
            fail(new LoadFailure(kind, providerClass, source, PluginFaults.describe(error instanceof ServiceConfigurationError
                    && error.getCause() != null ? error.getCause() : error)));
        }

        private void add(PluginKind kind, PluginProvider<?> provider, String origin) {
            String className = provider.getClass().getName();
            String name;
            try {
                name = PluginCalls.call("name() of the " + kind.label() + " provider " + className + " (" + origin + ")", provider::name);
            } catch (PluginCalls.TimedOut e) {
                throw e;
            } catch (RuntimeException | StackOverflowError | LinkageError e) {
                throw new BackpropException(ErrorCode.PLUGIN_LOAD_FAILED,
                        "The " + kind.label() + " provider " + className + " (" + origin + ") failed in name(): " + PluginFaults.describe(e), e);
            }
            if (name == null || !NAME.matcher(name).matches()) {
                throw new BackpropException(ErrorCode.PLUGIN_NAME_INVALID, "The " + kind.label() + " provider " + className
                        + " (" + origin + ") has the invalid name '" + name
                        + "'; names are lower-case kebab-case, such as 'leaky-relu'.");
            }
            try {
                // Read once here, bounded, so that a plugin whose parameter list never comes back is found at start-up.
                PluginCalls.call("parameters() of the " + kind.label() + " provider " + className + " (" + origin + ")", provider::parameters);
            } catch (PluginCalls.TimedOut e) {
                throw e;
            } catch (RuntimeException | StackOverflowError | LinkageError e) {
                throw new BackpropException(ErrorCode.PLUGIN_LOAD_FAILED,
                        "The " + kind.label() + " provider " + className + " (" + origin + ") failed in parameters(): " + PluginFaults.describe(e), e);
            }
            Map<String, PluginDescriptor> ofKind = plugins.get(kind);
            PluginDescriptor existing = ofKind.get(name);
            if (existing != null) {
                if (existing.provider().getClass() == provider.getClass()) {
                    return; // the same class seen twice through nested loaders or layers
                }
                throw new BackpropException(ErrorCode.PLUGIN_DUPLICATE, "Two " + kind.label() + " plugins are named '" + name
                        + "': " + existing.providerClass() + " (" + existing.origin() + ") and " + className + " (" + origin
                        + "). Remove one of them or rename it.");
            }
            ofKind.put(name, new PluginDescriptor(kind, name, provider, origin));
            LOG.debug("Found {} '{}' ({}) in {}", kind.label(), name, className, origin);
        }
    }
}
