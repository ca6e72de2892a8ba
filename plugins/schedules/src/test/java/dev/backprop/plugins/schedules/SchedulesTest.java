package dev.backprop.plugins.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.api.LearningRateSchedule;
import dev.backprop.api.LearningRateScheduleProvider;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class SchedulesTest {

    @Test
    void serviceFileListsEverySchedule() {
        assertThat(ServiceLoader.load(LearningRateScheduleProvider.class).stream().map(p -> p.get().name()))
                .containsExactlyInAnyOrder("constant", "step", "exponential", "cosine");
    }

    @Test
    void stepExponentialAndCosineFollowTheirFormulas() {
        LearningRateSchedule step = new Schedules.StepProvider().create(Map.of("step-size", 3, "gamma", 0.5));
        assertThat(new double[] {step.factor(1, 10), step.factor(3, 10), step.factor(4, 10), step.factor(7, 10)})
                .containsExactly(1.0, 1.0, 0.5, 0.25);
        LearningRateSchedule exponential = new Schedules.ExponentialProvider().create(Map.of("gamma", 0.9));
        assertThat(exponential.factor(3, 10)).isCloseTo(0.81, within(1e-15));
        LearningRateSchedule cosine = new Schedules.CosineProvider().create(Map.of("min-factor", 0.1));
        assertThat(cosine.factor(1, 11)).isEqualTo(1.0);
        assertThat(cosine.factor(6, 11)).isCloseTo(0.55, within(1e-15));
        assertThat(cosine.factor(11, 11)).isCloseTo(0.1, within(1e-15));
    }

    @Test
    void warmUpRisesLinearlyThenTheScheduleStartsAtItsOwnFirstEpoch() {
        LearningRateSchedule schedule = new Schedules.ExponentialProvider().create(Map.of("gamma", 0.5, "warmup-epochs", 3));
        assertThat(new double[] {schedule.factor(1, 10), schedule.factor(2, 10), schedule.factor(3, 10), schedule.factor(4, 10),
            schedule.factor(5, 10)}).containsExactly(0.25, 0.5, 0.75, 1.0, 0.5);
        assertThat(new Schedules.ConstantProvider().create(Map.of()).factor(7, 10)).isEqualTo(1.0);
    }
}
