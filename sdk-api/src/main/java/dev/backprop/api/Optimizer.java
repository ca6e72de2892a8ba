package dev.backprop.api;

import java.util.List;

/**
 * Turns gradients into parameter updates, {@code w <- w - eta * dE/dw} for plain gradient descent
 * (docs/derivation.md §6). An optimizer keeps whatever per-parameter state it needs (momentum,
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

    /**
     * Scales the learning rate the optimizer was created with, for learning-rate schedules. Called before
     * the first step of each epoch with the schedule's factor.
     *
     * @param factor the multiplier of the configured learning rate, &gt; 0
     * @throws UnsupportedOperationException if this optimizer has no learning rate to scale (the default)
     */
    default void setLearningRateScale(double factor) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support learning-rate schedules");
    }

    /**
     * The name of the state entry, if an optimizer keeps one, that counts its {@link #step()} calls: one
     * number. A resume refuses a checkpoint whose count is more than the batches the run has trained.
     */
    String STEPS = "steps";

    /**
     * The per-parameter state, for checkpoints: named arrays that {@link #restoreState(java.util.Map)}
     * accepts back after {@link #bind(List)} with the same parameters. Stateless optimizers return an
     * empty map (the default). An entry named {@value #STEPS}, if any, is the number of steps taken.
     *
     * @return copies of the state arrays by name
     */
    default java.util.Map<String, double[]> state() {
        return java.util.Map.of();
    }

    /**
     * Restores state saved by {@link #state()}, after {@link #bind(List)}.
     *
     * @param state the saved state
     * @throws IllegalArgumentException if the state does not fit the bound parameters, or holds what no run
     *     of this optimizer could have saved (a name it does not write, a value out of range); the message
     *     says which, and the optimizer is left as it was
     */
    default void restoreState(java.util.Map<String, double[]> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException(getClass().getName() + " keeps no state but was given " + state.keySet());
        }
    }
}
