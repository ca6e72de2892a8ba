/**
 * The public API of the Backprop SDK: the four service-provider interfaces that plugins implement
 * ({@link dev.backprop.api.ActivationProvider}, {@link dev.backprop.api.LossFunctionProvider},
 * {@link dev.backprop.api.OptimizerProvider}, {@link dev.backprop.api.WeightInitializerProvider}) and
 * the small value types they exchange with the engine. Depends on nothing but {@code java.base}.
 */
module dev.backprop.api {
    exports dev.backprop.api;
}
