package dev.backprop.plugins.optimizers;

import dev.backprop.api.ErrorCode;
import dev.backprop.api.Optimizer;
import dev.backprop.api.OptimizerProvider;
import dev.backprop.api.ParameterSpec;
import dev.backprop.api.PluginParameterException;
import dev.backprop.api.PluginParameters;
import dev.backprop.api.TrainableParameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gradient descent, {@code w <- w - eta * dE/dw} (docs/derivation.md §6), optionally with momentum.
 * With momentum {@code mu > 0} each parameter keeps a velocity {@code v <- mu v + g} and moves by
 * {@code -eta v}, or with Nesterov's look-ahead by {@code -eta (g + mu v)} (the formulation of Sutskever
 * et al. 2013, also used by PyTorch). With {@code mu = 0} this is exactly plain descent.
 */
public final class Sgd implements Optimizer {
    private final double baseLearningRate;
    private double learningRate;
    private final double momentum;
    private final boolean nesterov;
    private List<TrainableParameter> parameters = List.of();
    private List<double[]> velocities = List.of();

    /**
     * @param learningRate the step size {@code eta}, &gt; 0
     * @param momentum the momentum {@code mu} in [0, 1)
     * @param nesterov whether to use Nesterov momentum (requires {@code mu > 0})
     */
    public Sgd(double learningRate, double momentum, boolean nesterov) {
        this.baseLearningRate = learningRate;
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    @Override
    public void bind(List<TrainableParameter> parameters) {
        this.parameters = List.copyOf(parameters);
        List<double[]> state = new ArrayList<>(parameters.size());
        if (momentum > 0) {
            for (TrainableParameter p : parameters) {
                state.add(new double[p.size()]);
            }
        }
        this.velocities = state;
    }

    @Override
    public void step() {
        for (int p = 0; p < parameters.size(); p++) {
            double[] w = parameters.get(p).values();
            double[] g = parameters.get(p).gradient();
            if (momentum == 0) {
                for (int i = 0; i < w.length; i++) {
                    w[i] -= learningRate * g[i];
                }
                continue;
            }
            double[] v = velocities.get(p);
            for (int i = 0; i < w.length; i++) {
                v[i] = momentum * v[i] + g[i];
                w[i] -= learningRate * (nesterov ? g[i] + momentum * v[i] : v[i]);
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
        for (int p = 0; p < velocities.size(); p++) {
            state.put("velocity[" + p + "]", velocities.get(p).clone());
        }
        return state;
    }

    @Override
    public void restoreState(Map<String, double[]> state) {
        StateArrays.onlyNames(state, StateArrays.names("velocity", velocities.size()));
        StateArrays.check(state, "velocity", velocities, false);
        StateArrays.restore(state, "velocity", velocities);
    }

    /** Provides {@code sgd}. */
    public static final class Provider implements OptimizerProvider {
        @Override
        public String name() {
            return "sgd";
        }

        @Override
        public String description() {
            return "gradient descent w -= eta * g, optionally with (Nesterov) momentum";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(
                    ParameterSpec.number("learning-rate", 0.01, "step size eta").positive(),
                    ParameterSpec.number("momentum", 0.0, "momentum mu; 0 for plain descent").fraction(),
                    ParameterSpec.bool("nesterov", false, "use Nesterov momentum (needs momentum > 0)"));
        }

        @Override
        public Optimizer create(PluginParameters parameters) {
            double momentum = parameters.getDouble("momentum");
            boolean nesterov = parameters.getBoolean("nesterov");
            if (nesterov && momentum == 0) {
                throw new PluginParameterException(ErrorCode.PARAMETER_INVALID, name(), "nesterov",
                        "Parameter 'nesterov' of plugin 'sgd' needs 'momentum' > 0; momentum is 0.");
            }
            return new Sgd(parameters.getDouble("learning-rate"), momentum, nesterov);
        }
    }
}
