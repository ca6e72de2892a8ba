package dev.backprop.core.experiment;

import dev.backprop.api.LossFunction;
import dev.backprop.core.config.ExperimentConfig;
import dev.backprop.core.data.LabelledData;
import dev.backprop.core.data.Normalizer;
import dev.backprop.core.network.Network;

/**
 * An experiment ready to train: its configuration checked against its data, the network built, the data
 * loaded, split and normalised.
 *
 * @param config the configuration
 * @param network the freshly initialised network
 * @param loss the loss function
 * @param train the training examples (normalised)
 * @param validation the validation examples (normalised), or {@code null}
 * @param test the test examples (normalised), or {@code null}
 * @param normalizer the input rescaling fitted on the training examples, or {@code null}
 */
public record PreparedExperiment(ExperimentConfig config, Network network, LossFunction loss, LabelledData train,
        LabelledData validation, LabelledData test, Normalizer normalizer) {
}
