package dev.backprop.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Builds a one-class activation plugin jar for tests whose provider body is given as Java source. */
final class TestPluginJars {
    private TestPluginJars() {
    }

    /**
     * @param jar the jar to write
     * @param className the provider class, in package {@code com.example}
     * @param members the provider's members: at least {@code name()}; {@code create} is supplied
     * @return the jar
     */
    static Path activation(Path jar, String className, String members) throws IOException {
        String source = "package com.example;\n"
                + "import dev.backprop.api.*;\n"
                + "public final class " + className + " implements ActivationProvider {\n"
                + members + "\n"
                + "  public Activation create(PluginParameters p) {\n"
                + "    return new ElementwiseActivation() {\n"
                + "      public double apply(double x) { return x; }\n"
                + "      public double derivative(double x, double y) { return 1; }\n"
                + "    };\n"
                + "  }\n"
                + "}\n";
        return plugin(jar, "dev.backprop.api.ActivationProvider", className, source);
    }

    /**
     * @param jar the jar to write
     * @param service the service interface, for example {@code dev.backprop.api.OptimizerProvider}
     * @param className the provider class, in package {@code com.example}, as its binary name ({@code Outer$Provider})
     * @param source the whole source of that class (nested classes included)
     * @return the jar
     */
    static Path plugin(Path jar, String service, String className, String source) throws IOException {
        Path work = Files.createTempDirectory(jar.toAbsolutePath().getParent().getParent(), "src");
        // A nested provider (Outer$Provider) lives in Outer.java.
        Path file = work.resolve("com/example/" + className.replaceAll("\\$.*", "") + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        Path classes = Files.createDirectories(work.resolve("classes"));
        // javac in its own process: this module's tests run as a named module that does not read java.compiler.
        Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
        Process compile = new ProcessBuilder(javac.toString(), "-d", classes.toString(), "-cp", LaunchedJvm.runtimePath(),
                "--release", "17", file.toString()).inheritIO().start();
        int status;
        try {
            status = compile.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        if (status != 0) {
            throw new IllegalStateException("the test plugin did not compile");
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            try (Stream<Path> walk = Files.walk(classes)) {
                for (Path f : walk.filter(Files::isRegularFile).toList()) {
                    jarOut.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    jarOut.write(Files.readAllBytes(f));
                    jarOut.closeEntry();
                }
            }
            jarOut.putNextEntry(new JarEntry("META-INF/services/" + service));
            jarOut.write(("com.example." + className + "\n").getBytes(StandardCharsets.UTF_8));
            jarOut.closeEntry();
        }
        return jar;
    }
}
