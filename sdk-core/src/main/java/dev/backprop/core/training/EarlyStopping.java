package dev.backprop.core.training;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;

/**
 * Stops training when a validation metric has not improved for {@code patience} epochs.
 *
 * @param monitor {@code validation-loss} (lower is better) or {@code validation-accuracy} (higher is better)
 * @param patience epochs without improvement before stopping, at least 1
 * @param minDelta the smallest change that counts as an improvement, at least 0
 * @param restoreBest whether to put back the weights of the best epoch when stopping or finishing
 */
public record EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBest) {

    /**
     * Checks the settings.
     *
     * @param monitor {@code validation-loss} (lower is better) or {@code validation-accuracy} (higher is better)
     * @param patience epochs without improvement before stopping, at least 1
     * @param minDelta the smallest change that counts as an improvement, at least 0
     * @param restoreBest whether to put back the weights of the best epoch when stopping or finishing
     */
    public EarlyStopping {
        java.util.Objects.requireNonNull(monitor, "monitor must not be null");
        if (!monitor.equals("validation-loss") && !monitor.equals("validation-accuracy")) {
            throw new BackpropException(ErrorCode.TRAINING_INVALID, "early stopping monitors validation-loss or validation-accuracy, not '"
                    + monitor + "'.");
        }
        if (patience < 1) {
            throw new BackpropException(ErrorCode.TRAINING_INVALID, "early-stopping patience must be at least 1, got " + patience + ".");
        }
        if (!(minDelta >= 0)) {
            throw new BackpropException(ErrorCode.TRAINING_INVALID, "early-stopping min-delta must be >= 0, got " + minDelta + ".");
        }
    }

    boolean lowerIsBetter() {
        return monitor.equals("validation-loss");
    }

    boolean improves(double value, double best) {
        if (Double.isNaN(best)) {
            return true;
        }
        return lowerIsBetter() ? value < best - minDelta : value > best + minDelta;
    }
}
