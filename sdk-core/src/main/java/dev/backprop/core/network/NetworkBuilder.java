package dev.backprop.core.network;

import dev.backprop.api.Activation;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.PluginParameters;
import dev.backprop.api.WeightInitializer;
import dev.backprop.api.WeightInitializerProvider;
import dev.backprop.core.defaults.Defaults;
import dev.backprop.core.plugin.PluginRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Fluent construction of a {@link Network}, resolving activations and initializers by plugin name:
 * <pre>{@code
 * Network net = NetworkBuilder.create(registry, 2)
 *     .dense(4).activation("tanh")
 *     .dense(1).activation("sigmoid")
 *     .seed(42)
 *     .build();
 * }</pre>
 * Every {@code dense(units, ...)} takes a unit count (the layer's outputs), never an index. Sizes
 * chain automatically: an activation layer has as many units as the layer before it. Dense
 * layers without an explicit initializer use {@value Defaults#INITIALIZER} for the weights and zeros for
 * the bias. The same seed gives bit-identical weights.
 */
public final class NetworkBuilder {
    private final PluginRegistry registry;
    private final int inputs;
    private final List<Step> steps = new ArrayList<>();
    private long seed = Defaults.SEED;

    /** One layer to build: each kind says how its layer is made. */
    private sealed interface Step permits DenseStep, ActivationStep, DropoutStep {
        /**
         * @param index the layer's index in the network
         * @param width the number of values the previous layer produces
         * @param random the network's generator, shared in layer order
         * @return the layer
         */
        Layer build(int index, int width, RandomGenerator random);
    }

    private record DropoutStep(double rate) implements Step {
        @Override
        public Layer build(int index, int width, RandomGenerator random) {
            try {
                return new DropoutLayer(width, rate);
            } catch (BackpropException e) {
                throw new LayerException(e.code(), index, "layers[" + index + "]: " + e.detail(), e);
            }
        }
    }

    private record DenseStep(int units, boolean bias, String initName, WeightInitializer initializer) implements Step {
        @Override
        public Layer build(int index, int width, RandomGenerator random) {
            DenseLayer layer;
            try {
                layer = new DenseLayer(width, units, bias);
            } catch (BackpropException e) {
                throw new LayerException(e.code(), index, "layers[" + index + "]: " + e.detail(), e);
            }
            try {
                initializer.initialize(layer.weightArray(), layer.biasArray(), width, units, random);
            } catch (BackpropException e) {
                throw new LayerException(e.code(), index, "layers[" + index + "] " + layer.describe() + ", initializer '"
                        + initName + "': " + e.detail(), e);
            }
            return layer;
        }
    }

    private record ActivationStep(String name, Map<String, Object> parameters, Activation activation) implements Step {
        @Override
        public Layer build(int index, int width, RandomGenerator random) {
            return new ActivationLayer(name, parameters, activation, width);
        }
    }

    private NetworkBuilder(PluginRegistry registry, int inputs) {
        this.registry = Objects.requireNonNull(registry, "registry");
        if (inputs < 1) {
            throw new BackpropException(ErrorCode.NETWORK_INVALID, "A network needs at least one input, got " + inputs + ".");
        }
        this.inputs = inputs;
    }

    /**
     * @param registry where plugin names are resolved
     * @param inputs the number of input features
     * @return a builder for a network with that many inputs
     */
    public static NetworkBuilder create(PluginRegistry registry, int inputs) {
        return new NetworkBuilder(registry, inputs);
    }

    /**
     * Adds a dense layer with a bias and the default initializer.
     *
     * @param units the number of output units
     * @return this builder
     */
    public NetworkBuilder dense(int units) {
        return dense(units, true);
    }

    /**
     * Adds a dense layer with the default initializer.
     *
     * @param units the number of output units
     * @param bias whether the layer has a bias unit
     * @return this builder
     */
    public NetworkBuilder dense(int units, boolean bias) {
        return dense(units, bias, Defaults.INITIALIZER, Map.of());
    }

    /**
     * Adds a dense layer initialised by a named initializer plugin with its default parameters.
     *
     * @param units the number of output units
     * @param bias whether the layer has a bias unit
     * @param initializer the initializer's plugin name, for example {@code he-uniform}
     * @return this builder
     */
    public NetworkBuilder dense(int units, boolean bias, String initializer) {
        return dense(units, bias, initializer, Map.of());
    }

    /**
     * Adds a dense layer initialised by a named initializer plugin.
     *
     * @param units the number of output units
     * @param bias whether the layer has a bias unit
     * @param initializer the initializer's plugin name, for example {@code explicit}
     * @param parameters the initializer's parameters
     * @return this builder
     */
    public NetworkBuilder dense(int units, boolean bias, String initializer, Map<String, ?> parameters) {
        WeightInitializerProvider provider = registry.initializer(Objects.requireNonNull(initializer, "initializer"));
        PluginParameters resolved = PluginParameters.resolve(provider, parameters);
        WeightInitializer created = dev.backprop.core.plugin.PluginFaults.call("The initializer plugin '" + initializer
                + "' (" + provider.getClass().getName() + ") of layers[" + steps.size() + "]", () -> provider.create(resolved));
        steps.add(new DenseStep(units, bias, initializer, created));
        return this;
    }

    /**
     * Adds a dense layer initialised by the given initializer.
     *
     * @param units the number of output units
     * @param bias whether the layer has a bias unit
     * @param initializer the initializer
     * @return this builder
     */
    public NetworkBuilder dense(int units, boolean bias, WeightInitializer initializer) {
        Objects.requireNonNull(initializer, "initializer");
        steps.add(new DenseStep(units, bias, initializer.getClass().getSimpleName(), initializer));
        return this;
    }

    /**
     * Adds an activation layer.
     *
     * @param name the activation's plugin name, for example {@code sigmoid}
     * @return this builder
     */
    public NetworkBuilder activation(String name) {
        return activation(name, Map.of());
    }

    /**
     * Adds an activation layer with parameters.
     *
     * @param name the activation's plugin name, for example {@code leaky-relu}
     * @param parameters its parameters, for example {@code Map.of("alpha", 0.1)}
     * @return this builder
     */
    public NetworkBuilder activation(String name, Map<String, ?> parameters) {
        var provider = registry.activation(Objects.requireNonNull(name, "name"));
        PluginParameters resolved = PluginParameters.resolve(provider, parameters);
        Activation created = dev.backprop.core.plugin.PluginFaults.call("The activation plugin '" + name
                + "' (" + provider.getClass().getName() + ") of layers[" + steps.size() + "]", () -> provider.create(resolved));
        steps.add(new ActivationStep(name, resolved.asMap(), created));
        return this;
    }

    /**
     * Adds an activation layer with an activation object rather than a plugin name. A model file stores
     * only the name, so {@link dev.backprop.core.Backprop#save} refuses such a network unless the
     * registry it reads with has a plugin of that name making the same class; to save it, register a
     * provider ({@link PluginRegistry.Builder#register}) and use {@link #activation(String)}.
     *
     * @param name a name for messages and model files
     * @param activation the activation
     * @return this builder
     */
    public NetworkBuilder activation(String name, Activation activation) {
        steps.add(new ActivationStep(Objects.requireNonNull(name, "name"), Map.of(), Objects.requireNonNull(activation, "activation")));
        return this;
    }

    /**
     * Adds an (inverted) dropout layer, active only while training.
     *
     * @param rate the probability of dropping a unit, in [0, 1)
     * @return this builder
     */
    public NetworkBuilder dropout(double rate) {
        steps.add(new DropoutStep(rate));
        return this;
    }

    /**
     * @param seed the seed of the random generator handed to the initializers
     * @return this builder
     */
    public NetworkBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * @return the network, its weights set by the initializers in layer order from one generator
     *     seeded with {@link #seed(long)}
     * @throws BackpropException if there are no layers; a {@link LayerException} if an initializer cannot fill its layer
     */
    public Network build() {
        RandomGenerator random = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>(steps.size());
        int width = inputs;
        for (int k = 0; k < steps.size(); k++) {
            Layer layer = steps.get(k).build(k, width, random);
            layers.add(layer);
            width = layer.outputSize();
        }
        return Network.of(inputs, layers);
    }
}
