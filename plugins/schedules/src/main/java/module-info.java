/** The standard learning-rate schedules: constant, step, exponential and cosine, each with optional warm-up. */
module dev.backprop.plugins.schedules {
    requires dev.backprop.api;

    provides dev.backprop.api.LearningRateScheduleProvider with
            dev.backprop.plugins.schedules.Schedules.ConstantProvider,
            dev.backprop.plugins.schedules.Schedules.StepProvider,
            dev.backprop.plugins.schedules.Schedules.ExponentialProvider,
            dev.backprop.plugins.schedules.Schedules.CosineProvider;
}
