package dev.backprop.core.training;

import dev.backprop.api.TrainableParameter;
import java.util.ArrayList;
import java.util.List;

/** The state of early stopping during one run: the best value so far, its epoch and weights, and the epochs since. */
final class EarlyStopper {
    private final EarlyStopping rule;
    private double bestValue = Double.NaN;
    private int bestEpoch;
    private int sinceBest;
    private List<double[]> bestWeights = List.of();

    /** @param rule when to stop, or {@code null} for never */
    EarlyStopper(EarlyStopping rule) {
        this.rule = rule;
    }

    void restore(TrainingState state) {
        bestValue = state.bestValue();
        bestEpoch = state.bestEpoch();
        sinceBest = state.epochsWithoutImprovement();
        bestWeights = state.bestWeights();
    }

    /** Takes an epoch's validation result into account. */
    void record(int epoch, double validationLoss, double validationAccuracy, List<TrainableParameter> parameters) {
        if (rule == null) {
            return;
        }
        double value = rule.lowerIsBetter() ? validationLoss : validationAccuracy;
        if (rule.improves(value, bestValue)) {
            bestValue = value;
            bestEpoch = epoch;
            sinceBest = 0;
            if (rule.restoreBest()) {
                bestWeights = copy(parameters);
            }
        } else {
            sinceBest++;
        }
    }

    boolean shouldStop() {
        return rule != null && sinceBest >= rule.patience();
    }

    /** At the end of a run: puts the best epoch's weights back, if the rule asks for it. */
    void restoreBest(List<TrainableParameter> parameters) {
        if (rule == null || !rule.restoreBest() || bestWeights.isEmpty()) {
            return;
        }
        for (int p = 0; p < parameters.size(); p++) {
            System.arraycopy(bestWeights.get(p), 0, parameters.get(p).values(), 0, bestWeights.get(p).length);
        }
    }

    double bestValue() {
        return bestValue;
    }

    int bestEpoch() {
        return bestEpoch;
    }

    int sinceBest() {
        return sinceBest;
    }

    List<double[]> bestWeights() {
        return bestWeights;
    }

    static List<double[]> copy(List<TrainableParameter> parameters) {
        List<double[]> copy = new ArrayList<>();
        for (TrainableParameter p : parameters) {
            copy.add(p.values().clone());
        }
        return copy;
    }
}
