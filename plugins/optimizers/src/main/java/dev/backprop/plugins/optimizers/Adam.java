package dev.backprop.plugins.optimizers;

import dev.backprop.api.Optimizer;
import dev.backprop.api.OptimizerProvider;
import dev.backprop.api.ParameterSpec;
import dev.backprop.api.PluginParameters;
import dev.backprop.api.TrainableParameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba, 2015): per-value running means of the gradient {@code m} and of its square
 * {@code v}, bias-corrected, and the step {@code w <- w - eta * m_hat / (sqrt(v_hat) + epsilon)}.
 */
public final class Adam implements Optimizer {
    private final double baseLearningRate;
    private double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private List<TrainableParameter> parameters = List.of();
    private final List<double[]> first = new ArrayList<>();
    private final List<double[]> second = new ArrayList<>();
    private long steps;

    /**
     * @param learningRate the step size, &gt; 0
     * @param beta1 the decay of the first moment, in [0, 1)
     * @param beta2 the decay of the second moment, in [0, 1)
     * @param epsilon added to the denominator for stability, &gt; 0
     */
    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        this.baseLearningRate = learningRate;
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    public void bind(List<TrainableParameter> parameters) {
        this.parameters = List.copyOf(parameters);
        first.clear();
        second.clear();
        for (TrainableParameter p : parameters) {
            first.add(new double[p.size()]);
            second.add(new double[p.size()]);
        }
        steps = 0;
    }

    @Override
    public void step() {
        steps++;
        double correction1 = 1.0 - Math.pow(beta1, steps);
        double correction2 = 1.0 - Math.pow(beta2, steps);
        for (int p = 0; p < parameters.size(); p++) {
            double[] w = parameters.get(p).values();
            double[] g = parameters.get(p).gradient();
            double[] m = first.get(p);
            double[] v = second.get(p);
            for (int i = 0; i < w.length; i++) {
                m[i] = beta1 * m[i] + (1.0 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i];
                double mHat = m[i] / correction1;
                double vHat = v[i] / correction2;
                w[i] -= learningRate * mHat / (Math.sqrt(vHat) + epsilon);
            }
        }
    }

    @Override
    public void setLearningRateScale(double factor) {
        learningRate = baseLearningRate * factor;
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> state = new LinkedHashMap<>();
        for (int p = 0; p < first.size(); p++) {
            state.put("m[" + p + "]", first.get(p).clone());
            state.put("v[" + p + "]", second.get(p).clone());
        }
        state.put(STEPS, new double[] {steps});
        return state;
    }

    /** The most steps a saved state may count: every count up to it is exact in a double. */
    static final double MAX_STEPS = 0x1p53;

    @Override
    public void restoreState(Map<String, double[]> state) {
        java.util.Set<String> names = new java.util.HashSet<>(StateArrays.names("m", first.size()));
        names.addAll(StateArrays.names("v", second.size()));
        names.add(STEPS);
        StateArrays.onlyNames(state, names);
        double[] savedSteps = state.get(STEPS);
        if (savedSteps == null || savedSteps.length != 1) {
            throw new IllegalArgumentException("Adam state needs 'steps', one number");
        }
        double count = savedSteps[0];
        if (!(count >= 0 && count <= MAX_STEPS && count == Math.rint(count))) {
            // A fraction would be rounded away, a huge count overflows the bias correction and stops all updates.
            throw new IllegalArgumentException("saved optimizer state steps is " + count + "; expected a whole number from 0 to 2^53");
        }
        StateArrays.check(state, "m", first, false);
        StateArrays.check(state, "v", second, true);
        StateArrays.restore(state, "m", first);
        StateArrays.restore(state, "v", second);
        steps = (long) count;
    }

    /** Provides {@code adam}. */
    public static final class Provider implements OptimizerProvider {
        @Override
        public String name() {
            return "adam";
        }

        @Override
        public String description() {
            return "Adam: bias-corrected moment estimates (Kingma & Ba 2015)";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(
                    ParameterSpec.number("learning-rate", 0.001, "step size").positive(),
                    ParameterSpec.number("beta1", 0.9, "decay of the first-moment estimate").fraction(),
                    ParameterSpec.number("beta2", 0.999, "decay of the second-moment estimate").fraction(),
                    ParameterSpec.number("epsilon", 1e-8, "added to the denominator for stability").positive());
        }

        @Override
        public Optimizer create(PluginParameters parameters) {
            return new Adam(parameters.getDouble("learning-rate"), parameters.getDouble("beta1"),
                    parameters.getDouble("beta2"), parameters.getDouble("epsilon"));
        }
    }
}
