package dev.backprop.api;

/** The service interface for {@link LearningRateSchedule} plugins. */
public interface LearningRateScheduleProvider extends PluginProvider<LearningRateSchedule> {
}
