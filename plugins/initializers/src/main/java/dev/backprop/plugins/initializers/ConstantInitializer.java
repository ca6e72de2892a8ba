package dev.backprop.plugins.initializers;

import dev.backprop.api.ParameterSpec;
import dev.backprop.api.PluginParameters;
import dev.backprop.api.WeightInitializer;
import dev.backprop.api.WeightInitializerProvider;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/** Sets every weight to one value and every bias to another. */
public final class ConstantInitializer implements WeightInitializer {
    private final double weight;
    private final double bias;

    /**
     * @param weight the value of every weight
     * @param bias the value of every bias
     */
    public ConstantInitializer(double weight, double bias) {
        this.weight = weight;
        this.bias = bias;
    }

    @Override
    public void initialize(double[] weights, double[] bias, int fanIn, int fanOut, RandomGenerator random) {
        Arrays.fill(weights, 0, fanIn * fanOut, weight);
        if (bias != null) {
            Arrays.fill(bias, 0, fanOut, this.bias);
        }
    }

    /** Provides {@code zeros}. */
    public static final class ZerosProvider implements WeightInitializerProvider {
        @Override
        public String name() {
            return "zeros";
        }

        @Override
        public String description() {
            return "every weight and bias 0";
        }

        @Override
        public WeightInitializer create(PluginParameters parameters) {
            return new ConstantInitializer(0, 0);
        }
    }

    /** Provides {@code constant}. */
    public static final class ConstantProvider implements WeightInitializerProvider {
        @Override
        public String name() {
            return "constant";
        }

        @Override
        public String description() {
            return "every weight = value, every bias = bias";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(
                    ParameterSpec.required("value", dev.backprop.api.ParameterType.NUMBER, "the value of every weight"),
                    ParameterSpec.number("bias", 0.0, "the value of every bias"));
        }

        @Override
        public WeightInitializer create(PluginParameters parameters) {
            return new ConstantInitializer(parameters.getDouble("value"), parameters.getDouble("bias"));
        }
    }
}
