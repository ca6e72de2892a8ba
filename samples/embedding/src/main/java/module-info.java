/** An application that embeds the SDK through Guice. */
module dev.backprop.samples.embedding {
    requires dev.backprop.core;
    requires com.google.guice;
    requires jakarta.inject;

    opens dev.backprop.samples.embedding to com.google.guice;
}
