/**
 * The plugin test kit: abstract JUnit 5 contract tests. A plugin author extends one per plugin and
 * implements {@code provider()}; the inherited tests check the contract of the SPI.
 */
module dev.backprop.testkit {
    requires transitive dev.backprop.api;
    requires transitive org.junit.jupiter.api;

    exports dev.backprop.testkit;
    // JUnit instantiates the concrete contract test classes and calls the inherited test methods.
    opens dev.backprop.testkit to org.junit.platform.commons;
}
