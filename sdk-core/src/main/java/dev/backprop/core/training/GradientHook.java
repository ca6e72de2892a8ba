package dev.backprop.core.training;

import dev.backprop.api.TrainableParameter;
import java.util.List;

/** Changes the mean gradient of a batch before the optimizer reads it (a regulariser, for example). */
interface GradientHook {
    /** @param parameters the network's parameters, holding the batch's mean gradient */
    void apply(List<TrainableParameter> parameters);

    /**
     * L2 regularisation: adds {@code lambda * w} to the gradient of every connection weight (biases are
     * spared), which minimises {@code E + lambda/2 |w|^2}.
     *
     * @param lambda the coefficient, greater than 0
     * @return the hook
     */
    static GradientHook weightDecay(double lambda) {
        return parameters -> {
            for (int k = 0; k < parameters.size(); k++) {
                TrainableParameter p = parameters.get(k);
                if (p.kind() == TrainableParameter.Kind.WEIGHTS) {
                    double[] w = p.values();
                    double[] g = p.gradient();
                    for (int i = 0; i < w.length; i++) {
                        g[i] += lambda * w[i];
                    }
                }
            }
        };
    }
}
