package dev.backprop.plugins.activations;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.ElementwiseActivation;
import dev.backprop.api.ExportableActivation;
import dev.backprop.api.ParameterSpec;
import dev.backprop.api.PluginParameters;
import java.util.List;
import java.util.Map;

/**
 * {@code x} for {@code x > 0}, {@code alpha * x} otherwise; the derivative at 0 is {@code alpha}, matching
 * the ReLU convention of taking the left-hand slope there.
 */
public final class LeakyRelu extends ElementwiseActivation implements ExportableActivation {
    private final double alpha;

    /**
     * @param alpha the slope for negative inputs
     */
    public LeakyRelu(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public double apply(double net) {
        return net > 0 ? net : alpha * net;
    }

    @Override
    public double derivative(double net, double out) {
        return net > 0 ? 1.0 : alpha;
    }

    /** Exported as the ONNX operator {@code LeakyRelu}. */
    @Override
    public List<Step> exportSteps() {
        return List.of(Step.of("LeakyRelu", Map.of("alpha", alpha)));
    }

    /** Provides {@code leaky-relu}. */
    public static final class Provider implements ActivationProvider {
        @Override
        public String name() {
            return "leaky-relu";
        }

        @Override
        public String description() {
            return "x for x > 0, alpha * x otherwise";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(ParameterSpec.number("alpha", 0.01, "slope for negative inputs").nonNegative());
        }

        @Override
        public Activation create(PluginParameters parameters) {
            return new LeakyRelu(parameters.getDouble("alpha"));
        }
    }
}
