package dev.backprop.core.gradcheck;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.LossFunction;
import dev.backprop.api.TrainableParameter;
import dev.backprop.core.network.Backpropagation;
import dev.backprop.core.network.Network;
import dev.backprop.core.training.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares the gradients of backpropagation with central finite differences of the loss, for every
 * weight and bias of any network and any plugins. The loss is the engine's: the mean over the batch of
 * the per-example loss.
 *
 * <p>The numeric estimate uses the five-point stencil
 * {@code (-L(w+2h) + 8 L(w+h) - 8 L(w-h) + L(w-2h)) / 12h}, whose truncation error is of order
 * {@code h^4}, with {@code h = step * max(1, |w|)}. The relative error of each value is
 * {@code |a - n| / max(|a| + |n|, 1e-8)}. Every weight is restored bit for bit afterwards.
 *
 * <p>Functions with kinks (ReLU at 0) make a finite difference meaningless when {@code w +- 2h} crosses
 * the kink. An entry that fails is therefore checked again with steps 100 and 1,000 times smaller and
 * keeps the best agreement: a kink near the point affects only the larger steps, while a wrong analytic
 * gradient disagrees at every step.
 */
public final class GradientChecker {
    /** The default relative step. */
    public static final double DEFAULT_STEP = 1e-3;
    /** The default tolerance on the relative error. */
    public static final double DEFAULT_TOLERANCE = 1e-6;

    private final double step;
    private final double tolerance;

    /** A checker with {@link #DEFAULT_STEP} and {@link #DEFAULT_TOLERANCE}. */
    public GradientChecker() {
        this(DEFAULT_STEP, DEFAULT_TOLERANCE);
    }

    /**
     * @param step the relative finite-difference step, &gt; 0
     * @param tolerance the largest relative error accepted, &gt; 0
     */
    public GradientChecker(double step, double tolerance) {
        if (!(step > 0) || !(tolerance > 0)) {
            throw new IllegalArgumentException("step and tolerance must be > 0, got " + step + " and " + tolerance);
        }
        this.step = step;
        this.tolerance = tolerance;
    }

    /**
     * @param network the network; its weights are perturbed during the check and restored exactly
     * @param loss the loss function
     * @param batch the examples to compute the loss on
     * @return one entry per trainable value
     */
    public GradientCheckReport check(Network network, LossFunction loss, Dataset batch) {
        if (batch.inputSize() != network.inputSize() || batch.targetSize() != network.outputSize()) {
            throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "The gradient-check data has " + batch.inputSize() + " inputs and "
                    + batch.targetSize() + " targets but the network has " + network.inputSize() + " inputs and "
                    + network.outputSize() + " outputs.");
        }
        int rows = batch.size();
        double[] x = new double[rows * batch.inputSize()];
        double[] t = new double[rows * batch.targetSize()];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(batch.input(r), 0, x, r * batch.inputSize(), batch.inputSize());
            System.arraycopy(batch.target(r), 0, t, r * batch.targetSize(), batch.targetSize());
        }
        Backpropagation pass = new Backpropagation(network, rows);
        pass.meanGradient(x, t, rows, loss);
        List<double[]> analytic = new ArrayList<>();
        for (TrainableParameter p : network.parameters()) {
            analytic.add(p.gradient().clone());
        }
        List<GradientCheckEntry> entries = new ArrayList<>();
        for (int p = 0; p < network.parameters().size(); p++) {
            TrainableParameter parameter = network.parameters().get(p);
            double[] w = parameter.values();
            for (int i = 0; i < w.length; i++) {
                double a = analytic.get(p)[i];
                double numeric = Double.NaN;
                double error = Double.POSITIVE_INFINITY;
                for (double factor : RETRY_FACTORS) {
                    double estimate = numeric(pass, w, i, step * factor, x, t, rows, loss);
                    double estimateError = Math.abs(a - estimate) / Math.max(Math.abs(a) + Math.abs(estimate), 1e-8);
                    if (estimateError < error) {
                        numeric = estimate;
                        error = estimateError;
                    }
                    if (error <= tolerance) {
                        break;
                    }
                }
                entries.add(new GradientCheckEntry(parameter.name(), i, a, numeric, error));
            }
        }
        // Leave the gradients as backpropagation computed them.
        for (int p = 0; p < network.parameters().size(); p++) {
            double[] g = network.parameters().get(p).gradient();
            System.arraycopy(analytic.get(p), 0, g, 0, g.length);
        }
        return new GradientCheckReport(entries, tolerance);
    }

    /** The steps tried, relative to the configured one, until an entry agrees. */
    private static final double[] RETRY_FACTORS = {1.0, 1e-2, 1e-3};

    /** The five-point estimate of {@code dL/dw[i]} with relative step {@code relativeStep}; restores {@code w[i]}. */
    private static double numeric(Backpropagation pass, double[] w, int i, double relativeStep, double[] x, double[] t, int rows,
            LossFunction loss) {
        double original = w[i];
        double h = relativeStep * Math.max(1.0, Math.abs(original));
        double plus2 = lossAt(pass, w, i, original + 2 * h, x, t, rows, loss);
        double plus1 = lossAt(pass, w, i, original + h, x, t, rows, loss);
        double minus1 = lossAt(pass, w, i, original - h, x, t, rows, loss);
        double minus2 = lossAt(pass, w, i, original - 2 * h, x, t, rows, loss);
        w[i] = original;
        // Differences first: equal losses then cancel exactly, and no rounding comes from 8 * L.
        return (8 * (plus1 - minus1) - (plus2 - minus2)) / (12 * h);
    }

    private static double lossAt(Backpropagation pass, double[] w, int i, double value, double[] x, double[] t, int rows,
            LossFunction loss) {
        w[i] = value;
        double[] out = pass.forward(x, rows);
        return loss.loss(out, t, rows, pass.network().outputSize()) / rows;
    }
}
