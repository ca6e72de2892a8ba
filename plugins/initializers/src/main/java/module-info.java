/**
 * The standard initializer plugins: uniform, xavier-uniform, xavier-normal, he-uniform, he-normal,
 * zeros, constant and explicit.
 */
module dev.backprop.plugins.initializers {
    requires dev.backprop.api;

    provides dev.backprop.api.WeightInitializerProvider with
            dev.backprop.plugins.initializers.RandomInitializer.UniformProvider,
            dev.backprop.plugins.initializers.RandomInitializer.XavierUniformProvider,
            dev.backprop.plugins.initializers.RandomInitializer.XavierNormalProvider,
            dev.backprop.plugins.initializers.RandomInitializer.HeUniformProvider,
            dev.backprop.plugins.initializers.RandomInitializer.HeNormalProvider,
            dev.backprop.plugins.initializers.ConstantInitializer.ZerosProvider,
            dev.backprop.plugins.initializers.ConstantInitializer.ConstantProvider,
            dev.backprop.plugins.initializers.ExplicitInitializer.Provider;
}
