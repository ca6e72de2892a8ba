package ${package};

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.ElementwiseActivation;
import dev.backprop.api.ParameterSpec;
import dev.backprop.api.PluginParameters;
import java.util.List;

/** An example activation to start from: a scaled tanh, {@code f(x) = a tanh(x)}, with {@code f' = a (1 - tanh^2)}. */
public final class ExampleActivation extends ElementwiseActivation {
    private final double scale;

    ExampleActivation(double scale) {
        this.scale = scale;
    }

    @Override
    public double apply(double net) {
        return scale * Math.tanh(net);
    }

    @Override
    public double derivative(double net, double out) {
        double t = out / scale;
        return scale * (1 - t * t);
    }

    /** Provides the activation under the name users select it by. */
    public static final class Provider implements ActivationProvider {
        @Override
        public String name() {
            return "${artifactId}-activation";
        }

        @Override
        public String description() {
            return "a * tanh(x)";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(ParameterSpec.number("scale", 1.7159, "the factor a").positive());
        }

        @Override
        public Activation create(PluginParameters parameters) {
            return new ExampleActivation(parameters.getDouble("scale"));
        }
    }
}
