package dev.backprop.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.LearningRateScheduleProvider;
import dev.backprop.api.LossFunctionProvider;
import dev.backprop.api.OptimizerProvider;
import dev.backprop.api.PluginKind;
import dev.backprop.api.PluginProvider;
import dev.backprop.api.WeightInitializerProvider;
import dev.backprop.core.Backprop;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.plugin.PluginDescriptor;
import dev.backprop.core.plugin.PluginRegistry;
import java.util.Objects;

/**
 * The Guice module of the SDK. Install it in an application's injector to get {@link Backprop}, the
 * {@link ExperimentRunner}, the {@link PluginRegistry}, and one {@code Map<String, XProvider>} per plugin
 * kind:
 * <pre>{@code
 * Injector injector = Guice.createInjector(new BackpropModule(PluginRegistry.discover()), new MyAppModule());
 * Backprop backprop = injector.getInstance(Backprop.class);
 * }</pre>
 * The registry is built before the module (discovery is I/O), so {@link #configure()} only binds.
 */
public final class BackpropModule extends AbstractModule {
    private final PluginRegistry registry;

    /**
     * @param registry the plugins to bind; use {@link PluginRegistry#discover()} for the usual case
     */
    public BackpropModule(PluginRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    protected void configure() {
        bind(PluginRegistry.class).toInstance(registry);
        bind(Backprop.class).asEagerSingleton();
        bind(ExperimentRunner.class).asEagerSingleton();
        bindProviders(PluginKind.ACTIVATION, ActivationProvider.class);
        bindProviders(PluginKind.LOSS, LossFunctionProvider.class);
        bindProviders(PluginKind.OPTIMIZER, OptimizerProvider.class);
        bindProviders(PluginKind.INITIALIZER, WeightInitializerProvider.class);
        bindProviders(PluginKind.SCHEDULE, LearningRateScheduleProvider.class);
    }

    private <P extends PluginProvider<?>> void bindProviders(PluginKind kind, Class<P> type) {
        MapBinder<String, P> byName = MapBinder.newMapBinder(binder(), String.class, type);
        for (PluginDescriptor descriptor : registry.descriptors(kind)) {
            byName.addBinding(descriptor.name()).toInstance(type.cast(descriptor.provider()));
        }
    }
}
