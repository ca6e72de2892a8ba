package dev.backprop.api;

/**
 * How the learning rate changes over a run: a factor applied to the optimizer's configured learning
 * rate at the start of each epoch (see {@link Optimizer#setLearningRateScale(double)}). Implementations
 * are stateless functions of the epoch, so a resumed run gets exactly the same rates.
 */
public interface LearningRateSchedule {

    /**
     * @param epoch the epoch about to start, from 1
     * @param epochs the number of epochs of the run
     * @return the factor, &gt; 0
     */
    double factor(int epoch, int epochs);
}
