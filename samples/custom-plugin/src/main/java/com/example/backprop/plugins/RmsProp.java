package com.example.backprop.plugins;

import dev.backprop.api.Optimizer;
import dev.backprop.api.OptimizerProvider;
import dev.backprop.api.ParameterSpec;
import dev.backprop.api.PluginParameters;
import dev.backprop.api.TrainableParameter;
import java.util.ArrayList;
import java.util.List;

/**
 * RMSProp (Hinton, 2012): each weight keeps a running mean of its squared gradient {@code s} and moves
 * by {@code -eta g / (sqrt(s) + epsilon)}.
 */
public final class RmsProp implements Optimizer {
    private final double learningRate;
    private final double decay;
    private final double epsilon;
    private List<TrainableParameter> parameters = List.of();
    private final List<double[]> meanSquares = new ArrayList<>();

    RmsProp(double learningRate, double decay, double epsilon) {
        this.learningRate = learningRate;
        this.decay = decay;
        this.epsilon = epsilon;
    }

    @Override
    public void bind(List<TrainableParameter> parameters) {
        this.parameters = List.copyOf(parameters);
        meanSquares.clear();
        for (TrainableParameter p : parameters) {
            meanSquares.add(new double[p.size()]); // one running mean per weight
        }
    }

    @Override
    public void step() {
        for (int p = 0; p < parameters.size(); p++) {
            double[] w = parameters.get(p).values();
            double[] g = parameters.get(p).gradient();
            double[] s = meanSquares.get(p);
            for (int i = 0; i < w.length; i++) {
                s[i] = decay * s[i] + (1 - decay) * g[i] * g[i];
                w[i] -= learningRate * g[i] / (Math.sqrt(s[i]) + epsilon);
            }
        }
    }

    /** Provides {@code rmsprop}. */
    public static final class Provider implements OptimizerProvider {
        @Override
        public String name() {
            return "rmsprop";
        }

        @Override
        public String description() {
            return "RMSProp: steps scaled by a running RMS of each weight's gradient";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(
                    ParameterSpec.number("learning-rate", 0.001, "step size").positive(),
                    ParameterSpec.number("decay", 0.9, "decay of the running mean of squared gradients").fraction(),
                    ParameterSpec.number("epsilon", 1e-8, "added to the denominator").positive());
        }

        @Override
        public Optimizer create(PluginParameters parameters) {
            return new RmsProp(parameters.getDouble("learning-rate"), parameters.getDouble("decay"), parameters.getDouble("epsilon"));
        }
    }
}
