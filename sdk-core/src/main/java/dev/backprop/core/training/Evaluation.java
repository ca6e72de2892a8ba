package dev.backprop.core.training;

/**
 * The loss and accuracy of a network on a dataset.
 *
 * @param meanLoss the mean over the examples of the per-example loss
 * @param accuracy the fraction classified correctly (see {@link Accuracy}), or NaN if not requested
 * @param examples the number of examples
 */
public record Evaluation(double meanLoss, double accuracy, int examples) {
}
