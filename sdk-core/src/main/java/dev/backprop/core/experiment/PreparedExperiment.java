package dev.backprop.core.experiment;

import dev.backprop.api.LossFunction;
import dev.backprop.core.config.ExperimentConfig;
import dev.backprop.core.data.LabelledData;
import dev.backprop.core.data.Normalizer;
import dev.backprop.core.data.RowsSummary;
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
 * @param rows for training rows that stay on the cluster (a parquet or dataframe source), what a distributed
 *     pass found out about them; {@code null} when the rows are in {@code train}
 */
public record PreparedExperiment(ExperimentConfig config, Network network, LossFunction loss, LabelledData train,
        LabelledData validation, LabelledData test, Normalizer normalizer, RowsSummary rows) {

    /** @return the number of training rows, over the whole cluster for rows that stay there */
    public long trainingRows() {
        return rows != null ? rows.rows() : train.dataset().size();
    }
}
