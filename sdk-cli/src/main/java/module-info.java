/**
 * The {@code backprop} command line. Runs on the module path (see the {@code ./backprop} launcher) and on
 * the class path alike.
 */
module dev.backprop.cli {
    requires dev.backprop.core;
    requires info.picocli;
    requires org.slf4j;

    // picocli fills the command classes by reflection.
    opens dev.backprop.cli to info.picocli;
}
