package dev.backprop.core.gradcheck;

/**
 * The comparison for one trainable value.
 *
 * @param parameter the parameter name, for example {@code layers[2].weights}
 * @param index the index within the parameter (row-major for weights)
 * @param analytic the gradient computed by backpropagation
 * @param numeric the gradient estimated by finite differences
 * @param relativeError {@code |a - n| / max(|a| + |n|, 1e-8)}
 */
public record GradientCheckEntry(String parameter, int index, double analytic, double numeric, double relativeError) {
}
