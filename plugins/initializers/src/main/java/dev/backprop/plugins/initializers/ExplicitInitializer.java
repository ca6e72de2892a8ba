package dev.backprop.plugins.initializers;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.api.ParameterSpec;
import dev.backprop.api.ParameterType;
import dev.backprop.api.PluginParameters;
import dev.backprop.api.WeightInitializer;
import dev.backprop.api.WeightInitializerProvider;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Sets a layer to exactly the weights given: {@code weights} has one row per output unit and one column
 * per input unit ({@code weights[j][i] = w_ji}), {@code bias} one value per output unit. A layer with a
 * bias but no {@code bias} parameter gets a zero bias; a {@code bias} for a layer without one is an error.
 */
public final class ExplicitInitializer implements WeightInitializer {
    private final double[][] weights;
    private final double[] bias;

    /**
     * @param weights the weight rows
     * @param bias the bias, or {@code null}
     */
    public ExplicitInitializer(double[][] weights, double[] bias) {
        this.weights = weights;
        this.bias = bias;
    }

    @Override
    public void initialize(double[] target, double[] targetBias, int fanIn, int fanOut, RandomGenerator random) {
        if (weights.length != fanOut || weights[0].length != fanIn) {
            throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "explicit weights are " + weights.length + " x "
                    + weights[0].length + " but the layer needs " + fanOut + " x " + fanIn
                    + " (one row per output unit, one column per input unit).");
        }
        for (int j = 0; j < fanOut; j++) {
            System.arraycopy(weights[j], 0, target, j * fanIn, fanIn);
        }
        if (bias != null && targetBias == null) {
            throw new BackpropException(ErrorCode.SHAPE_MISMATCH,
                    "explicit bias given but the layer has no bias (set bias: true or remove the bias values).");
        }
        if (targetBias != null) {
            if (bias == null) {
                Arrays.fill(targetBias, 0, fanOut, 0.0);
            } else if (bias.length != fanOut) {
                throw new BackpropException(ErrorCode.SHAPE_MISMATCH, "explicit bias has " + bias.length
                        + " values but the layer has " + fanOut + " outputs.");
            } else {
                System.arraycopy(bias, 0, targetBias, 0, fanOut);
            }
        }
    }

    /** Provides {@code explicit}. */
    public static final class Provider implements WeightInitializerProvider {
        @Override
        public String name() {
            return "explicit";
        }

        @Override
        public String description() {
            return "exactly the given weights (row = output unit, column = input unit) and bias";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(
                    ParameterSpec.required("weights", ParameterType.NUMBER_MATRIX, "rows of weights, one row per output unit"),
                    ParameterSpec.optional("bias", ParameterType.NUMBER_LIST, "one bias per output unit"));
        }

        @Override
        public WeightInitializer create(PluginParameters parameters) {
            double[][] weights = parameters.getMatrix("weights");
            if (weights.length == 0 || weights[0].length == 0) {
                throw new dev.backprop.api.PluginParameterException(ErrorCode.PARAMETER_INVALID, name(), "weights",
                        "Parameter 'weights' of plugin 'explicit' must have at least one row and one column.");
            }
            return new ExplicitInitializer(weights, parameters.has("bias") ? parameters.getDoubleArray("bias") : null);
        }
    }
}
