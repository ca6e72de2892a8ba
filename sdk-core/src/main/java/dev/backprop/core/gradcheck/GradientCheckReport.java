package dev.backprop.core.gradcheck;

import java.util.Comparator;
import java.util.List;

/**
 * The result of a {@link GradientChecker} run: one entry per trainable value.
 *
 * @param entries every comparison, in parameter order
 * @param tolerance the largest relative error accepted
 */
public record GradientCheckReport(List<GradientCheckEntry> entries, double tolerance) {

    /**
     * Copies the list.
     *
     * @param entries every comparison, in parameter order
     * @param tolerance the largest relative error accepted
     */
    public GradientCheckReport {
        entries = List.copyOf(entries);
    }

    /** @return the entry with the largest relative error */
    public GradientCheckEntry worst() {
        return entries.stream().max(Comparator.comparingDouble(GradientCheckEntry::relativeError)).orElseThrow();
    }

    /** @return the largest relative error */
    public double maxRelativeError() {
        return worst().relativeError();
    }

    /** @return whether every relative error is at most the tolerance */
    public boolean passed() {
        return maxRelativeError() <= tolerance;
    }

    /** @return the entries whose relative error exceeds the tolerance */
    public List<GradientCheckEntry> failures() {
        return entries.stream().filter(e -> e.relativeError() > tolerance).toList();
    }

    @Override
    public String toString() {
        GradientCheckEntry w = worst();
        return (passed() ? "PASSED" : "FAILED") + ": " + entries.size() + " values checked, max relative error "
                + w.relativeError() + " at " + w.parameter() + "[" + w.index() + "] (analytic " + w.analytic()
                + ", numeric " + w.numeric() + "), tolerance " + tolerance;
    }
}
