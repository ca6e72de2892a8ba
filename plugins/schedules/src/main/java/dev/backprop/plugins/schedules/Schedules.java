package dev.backprop.plugins.schedules;

import dev.backprop.api.LearningRateSchedule;
import dev.backprop.api.LearningRateScheduleProvider;
import dev.backprop.api.ParameterSpec;
import dev.backprop.api.PluginParameters;
import java.util.ArrayList;
import java.util.List;

/**
 * The standard learning-rate schedules. Each gives a factor of the optimizer's learning rate per epoch
 * and takes an optional linear warm-up: during the first {@code warmup-epochs} epochs the factor rises
 * linearly, {@code k / (warmup + 1)} in epoch {@code k}, then the schedule proper starts from its own
 * epoch 1.
 * <ul>
 *   <li>{@code constant}: 1.</li>
 *   <li>{@code step}: {@code gamma^floor((e - 1) / step-size)}.</li>
 *   <li>{@code exponential}: {@code gamma^(e - 1)}.</li>
 *   <li>{@code cosine}: from 1 down to {@code min-factor} over the run,
 *       {@code min + (1 - min) (1 + cos(pi (e - 1) / (E - 1))) / 2}.</li>
 * </ul>
 */
public final class Schedules {
    private Schedules() {
    }

    /** The body of a schedule after warm-up, with {@code e} and {@code total} counted from the end of warm-up. */
    @FunctionalInterface
    interface Curve {
        double factor(int epoch, int epochs);
    }

    /** Wraps a curve with the linear warm-up. */
    static LearningRateSchedule withWarmup(int warmup, Curve curve) {
        return (epoch, epochs) -> {
            if (epoch <= warmup) {
                return (double) epoch / (warmup + 1);
            }
            return curve.factor(epoch - warmup, Math.max(1, epochs - warmup));
        };
    }

    /** Shared provider body: name, description, extra parameters plus {@code warmup-epochs}. */
    abstract static class Provider implements LearningRateScheduleProvider {
        private final String name;
        private final String description;

        Provider(String name, String description) {
            this.name = name;
            this.description = description;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return description;
        }

        /** @return the parameters besides {@code warmup-epochs} */
        List<ParameterSpec> own() {
            return List.of();
        }

        abstract Curve curve(PluginParameters parameters);

        @Override
        public final List<ParameterSpec> parameters() {
            List<ParameterSpec> all = new ArrayList<>(own());
            all.add(ParameterSpec.integer("warmup-epochs", 0, "epochs of linear warm-up before the schedule").nonNegative());
            return all;
        }

        @Override
        public final LearningRateSchedule create(PluginParameters parameters) {
            return withWarmup(parameters.getInt("warmup-epochs"), curve(parameters));
        }
    }

    /** Provides {@code constant}. */
    public static final class ConstantProvider extends Provider {
        /** Creates the provider. */
        public ConstantProvider() {
            super("constant", "the configured learning rate throughout (after any warm-up)");
        }

        @Override
        Curve curve(PluginParameters parameters) {
            return (epoch, epochs) -> 1.0;
        }
    }

    /** Provides {@code step}. */
    public static final class StepProvider extends Provider {
        /** Creates the provider. */
        public StepProvider() {
            super("step", "multiply by gamma every step-size epochs");
        }

        @Override
        List<ParameterSpec> own() {
            return List.of(ParameterSpec.integer("step-size", 10, "epochs between reductions").positive(),
                    ParameterSpec.number("gamma", 0.1, "the factor of each reduction").positive());
        }

        @Override
        Curve curve(PluginParameters parameters) {
            int size = parameters.getInt("step-size");
            double gamma = parameters.getDouble("gamma");
            return (epoch, epochs) -> Math.pow(gamma, (epoch - 1) / size);
        }
    }

    /** Provides {@code exponential}. */
    public static final class ExponentialProvider extends Provider {
        /** Creates the provider. */
        public ExponentialProvider() {
            super("exponential", "multiply by gamma every epoch");
        }

        @Override
        List<ParameterSpec> own() {
            return List.of(ParameterSpec.number("gamma", 0.95, "the factor per epoch").positive());
        }

        @Override
        Curve curve(PluginParameters parameters) {
            double gamma = parameters.getDouble("gamma");
            return (epoch, epochs) -> Math.pow(gamma, epoch - 1);
        }
    }

    /** Provides {@code cosine}. */
    public static final class CosineProvider extends Provider {
        /** Creates the provider. */
        public CosineProvider() {
            super("cosine", "cosine annealing from 1 to min-factor over the run");
        }

        @Override
        List<ParameterSpec> own() {
            return List.of(ParameterSpec.number("min-factor", 0.0, "the factor in the last epoch").nonNegative());
        }

        @Override
        Curve curve(PluginParameters parameters) {
            double min = parameters.getDouble("min-factor");
            return (epoch, epochs) -> epochs <= 1 ? 1.0
                    : Math.max(min + (1 - min) * (1 + Math.cos(Math.PI * (epoch - 1) / (epochs - 1))) / 2, Double.MIN_NORMAL);
        }
    }
}
