package dev.backprop.core;

import dev.backprop.core.data.CsvLoader;
import dev.backprop.core.data.LabelledData;
import dev.backprop.core.gradcheck.GradientChecker;
import dev.backprop.core.model.Model;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.network.Network;
import dev.backprop.core.network.NetworkBuilder;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.core.training.Dataset;
import dev.backprop.core.training.Trainer;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The entry point of the SDK for applications: builds networks and trainers from the plugins of one
 * {@link PluginRegistry}.
 * <pre>{@code
 * Backprop backprop = Backprop.create();            // discovers plugins on the class/module path
 * Network net = backprop.network(2).dense(4).activation("tanh").dense(1).activation("sigmoid").seed(1).build();
 * Trainer trainer = backprop.trainer().optimizer("sgd", Map.of("learning-rate", 0.5)).epochs(2000).build();
 * trainer.fit(net, data);
 * backprop.save(net, trainer, data, Path.of("model.json"));   // loss and names from the trainer and data
 * Model model = backprop.load(Path.of("model.json"));         // predict from any number of threads
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

    /**
     * @param file a CSV file with one header row
     * @return a reader of it; say which column is the class label or which are the targets
     */
    public CsvLoader.Builder csv(Path file) {
        return CsvLoader.from(file);
    }

    /**
     * Saves a network trained in code in one call: the loss name comes from the trainer, the column and
     * class names from the data ({@link Model#of(Network, Trainer, LabelledData)}). Refuses, writing
     * nothing, a model this SDK's plugins could not read back (see {@link ModelFile#checkReadable}).
     *
     * @param network the trained network
     * @param trainer the trainer it was trained with
     * @param data the data it was trained on, with its column names
     * @param file where to write {@code model.json}
     * @return the model written
     */
    public Model save(Network network, Trainer trainer, LabelledData data, Path file) {
        Model model = Model.of(network, trainer, data);
        save(model, file);
        return model;
    }

    /**
     * As {@link #save(Network, Trainer, LabelledData, Path)} for data built in code, with the names
     * {@link LabelledData#of(Dataset)} gives ({@code x1...}; classes {@code 0, 1, ...} when the targets
     * are classes).
     *
     * @param network the trained network
     * @param trainer the trainer it was trained with
     * @param data the data it was trained on
     * @param file where to write {@code model.json}
     * @return the model written
     */
    public Model save(Network network, Trainer trainer, Dataset data, Path file) {
        return save(network, trainer, LabelledData.of(data), file);
    }

    /**
     * Saves a model atomically, after checking that this SDK's plugins can read it back.
     *
     * @param model the model
     * @param file where to write {@code model.json}
     */
    public void save(Model model, Path file) {
        ModelFile.write(Objects.requireNonNull(model, "model must not be null"), Objects.requireNonNull(file, "file must not be null"),
                registry);
    }

    /**
     * @param file a {@code model.json}
     * @return the model, its activations made by this SDK's plugins; safe to predict from many threads
     */
    public Model load(Path file) {
        return ModelFile.read(Objects.requireNonNull(file, "file must not be null"), registry);
    }

    /** @return a gradient checker with the default step and tolerance */
    public GradientChecker gradientChecker() {
        return new GradientChecker();
    }
}
