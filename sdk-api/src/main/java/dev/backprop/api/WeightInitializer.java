package dev.backprop.api;

import java.util.random.RandomGenerator;

/**
 * Sets the initial weights (and bias) of a dense layer. The weight matrix is row-major with one row per
 * output unit and one column per input unit: {@code weights[j * fanIn + i]} is the weight from input
 * {@code i} to output {@code j} ({@code w_ji} in the notation of docs/derivation.md §1).
 *
 * <p>Randomness must come only from the generator passed in, so that a seeded run is reproducible.
 * Instances are used from one thread at a time.
 */
public interface WeightInitializer {

    /**
     * @param weights the {@code fanOut x fanIn} weight matrix to fill, row-major
     * @param bias the bias vector of length {@code fanOut} to fill, or {@code null} if the layer has no
     *     bias
     * @param fanIn the number of inputs of the layer
     * @param fanOut the number of outputs of the layer
     * @param random the seeded source of randomness
     * @throws BackpropException if this initializer cannot fill a layer of this shape (for example
     *     explicit weights of another size)
     */
    void initialize(double[] weights, double[] bias, int fanIn, int fanOut, RandomGenerator random);
}
