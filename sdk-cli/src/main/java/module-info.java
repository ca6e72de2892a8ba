/**
 * The {@code backprop} command line. Runs on the module path (see the {@code ./backprop} launcher) and on
 * the class path alike.
 */
module dev.backprop.cli {
    requires dev.backprop.core;
    requires dev.backprop.onnx;
    requires com.fasterxml.jackson.databind;
    requires com.google.guice;
    requires info.picocli;
    requires me.tongfei.progressbar;
    requires org.knowm.xchart;
    requires java.desktop;
    requires jdk.unsupported;
    requires org.slf4j;
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;

    // picocli fills the command classes by reflection.
    opens dev.backprop.cli to info.picocli;
    // Logback instantiates the run-log filter named in logback.xml.
    exports dev.backprop.cli.logging to ch.qos.logback.core;
}
