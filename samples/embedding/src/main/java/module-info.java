/** An application that embeds the SDK through Guice. */
module dev.backprop.samples.embedding {
    requires dev.backprop.core;
    requires com.google.guice;

    // Guice's generated constructor calls live in the unnamed module: they reach exported packages only.
    exports dev.backprop.samples.embedding;
    // Guice reads the @Inject constructor and the @Provides method by reflection.
    opens dev.backprop.samples.embedding to com.google.guice;
}
