package dev.backprop.api;

/** The kinds of plugin the SDK discovers, each with the provider interface that declares it. */
public enum PluginKind {
    /** Transfer functions of activation layers. */
    ACTIVATION("activation", ActivationProvider.class),
    /** Error measures minimised by training. */
    LOSS("loss", LossFunctionProvider.class),
    /** Rules that turn gradients into weight updates. */
    OPTIMIZER("optimizer", OptimizerProvider.class),
    /** Strategies that set the initial weights of a dense layer. */
    INITIALIZER("initializer", WeightInitializerProvider.class),
    /** Learning-rate schedules. */
    SCHEDULE("schedule", LearningRateScheduleProvider.class);

    private final String label;
    private final Class<? extends PluginProvider<?>> providerType;

    PluginKind(String label, Class<? extends PluginProvider<?>> providerType) {
        this.label = label;
        this.providerType = providerType;
    }

    /** @return the lower-case word used in messages and listings, for example {@code activation} */
    public String label() {
        return label;
    }

    /** @return the service interface that providers of this kind implement */
    public Class<? extends PluginProvider<?>> providerType() {
        return providerType;
    }

    /**
     * @param provider a provider of any kind
     * @return the kind whose provider interface {@code provider} implements
     * @throws IllegalArgumentException if it implements none of them
     */
    public static PluginKind of(PluginProvider<?> provider) {
        for (PluginKind kind : values()) {
            if (kind.providerType.isInstance(provider)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(provider.getClass().getName() + " implements no plugin provider interface");
    }
}
