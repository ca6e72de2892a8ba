package dev.backprop.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
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
import dev.backprop.core.sweep.SweepRunner;
import java.util.Objects;

/**
 * The Guice module of the SDK. Install it in an application's injector to get {@link Backprop}, the
 * {@link ExperimentRunner}, the {@link SweepRunner}, the {@link PluginRegistry}, and one
 * {@code Map<String, XProvider>} per plugin kind:
 * <pre>{@code
 * Injector injector = Guice.createInjector(new BackpropModule(PluginRegistry.discover()), new MyAppModule());
 * Backprop backprop = injector.getInstance(Backprop.class);
 * }</pre>
 * The registry is built before the module (discovery is I/O), so {@link #configure()} only binds.
 *
 * <p>The SDK's objects are made by this module's own provider methods, not by Guice's constructor
 * injection: Guice then needs no generated code and no reflection in the SDK's other packages, which
 * is what lets it work on the module path whatever those packages export. An application's own
 * injected classes are the application's to open (see {@code docs/embedding.md}).
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
        bindProviders(PluginKind.ACTIVATION, ActivationProvider.class);
        bindProviders(PluginKind.LOSS, LossFunctionProvider.class);
        bindProviders(PluginKind.OPTIMIZER, OptimizerProvider.class);
        bindProviders(PluginKind.INITIALIZER, WeightInitializerProvider.class);
        bindProviders(PluginKind.SCHEDULE, LearningRateScheduleProvider.class);
    }

    /**
     * @param plugins the bound registry
     * @return the SDK facade over it
     */
    @Provides
    @Singleton
    public Backprop backprop(PluginRegistry plugins) {
        return new Backprop(plugins);
    }

    /**
     * @param plugins the bound registry
     * @return the experiment runner over it
     */
    @Provides
    @Singleton
    public ExperimentRunner experimentRunner(PluginRegistry plugins) {
        return new ExperimentRunner(plugins);
    }

    /**
     * @param runner the bound experiment runner
     * @return the sweep runner over it
     */
    @Provides
    @Singleton
    public SweepRunner sweepRunner(ExperimentRunner runner) {
        return new SweepRunner(runner);
    }

    private <P extends PluginProvider<?>> void bindProviders(PluginKind kind, Class<P> type) {
        MapBinder<String, P> byName = MapBinder.newMapBinder(binder(), String.class, type);
        for (PluginDescriptor descriptor : registry.descriptors(kind)) {
            byName.addBinding(descriptor.name()).toInstance(type.cast(descriptor.provider()));
        }
    }
}
