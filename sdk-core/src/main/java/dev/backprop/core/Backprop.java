package dev.backprop.core;

import dev.backprop.core.gradcheck.GradientChecker;
import dev.backprop.core.network.NetworkBuilder;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.Trainer;
import jakarta.inject.Inject;
import java.util.Objects;

/**
 * The entry point of the SDK for applications: builds networks and trainers from the plugins of one
 * {@link PluginRegistry}.
 * <pre>{@code
 * Backprop backprop = Backprop.create();            // discovers plugins on the class/module path
 * Network net = backprop.network(2).dense(4).activation("tanh").dense(1).activation("sigmoid").seed(1).build();
 * Trainer trainer = backprop.trainer().optimizer("sgd", Map.of("learning-rate", 0.5)).epochs(2000).build();
 * trainer.fit(net, Dataset.of(inputs, targets));
 * }</pre>
 * Guice users install {@link dev.backprop.core.inject.BackpropModule} and inject this class instead.
 * Thread-safe: it holds only the immutable registry.
 */
public final class Backprop {
    private final PluginRegistry registry;

    /**
     * @param registry the plugins to build from
     */
    @Inject
    public Backprop(PluginRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** @return an SDK over every plugin discovered on the class path and module path */
    public static Backprop create() {
        return new Backprop(PluginRegistry.discover());
    }

    /** @return the plugins this SDK resolves names against */
    public PluginRegistry plugins() {
        return registry;
    }

    /**
     * @param inputs the number of input features
     * @return a builder for a new network
     */
    public NetworkBuilder network(int inputs) {
        return NetworkBuilder.create(registry, inputs);
    }

    /** @return a builder for a new trainer, with defaults for every setting */
    public Trainer.Builder trainer() {
        return Trainer.builder(registry);
    }

    /** @return a gradient checker with the default step and tolerance */
    public GradientChecker gradientChecker() {
        return new GradientChecker();
    }
}
