package dev.backprop.api;

import java.util.List;

/**
 * Turns gradients into parameter updates, {@code w <- w - eta * dE/dw} for plain gradient descent
 * (seed 000, equations 17-18). An optimizer keeps whatever per-parameter state it needs (momentum,
 * Adam's moments) itself; the engine never sees it.
 *
 * <h2>Calls</h2>
 * <ol>
 *   <li>{@link #bind(List)} once, before training, with every trainable parameter of the network in a
 *       fixed order. Allocate per-parameter state here.</li>
 *   <li>{@link #step()} once per mini-batch, after the engine has written the mean gradient of the
 *       batch into each parameter's {@link TrainableParameter#gradient()}. Update
 *       {@link TrainableParameter#values()} in place; do not modify the gradient.</li>
 * </ol>
 *
 * <p>An instance belongs to one training run and is used from one thread at a time.
 */
public interface Optimizer {

    /**
     * @param parameters the network's trainable parameters, in a fixed order; the list and the arrays
     *     stay valid for the whole run
     */
    void bind(List<TrainableParameter> parameters);

    /** Applies one update to every bound parameter using its current gradient. */
    void step();
}
