package dev.backprop.core.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds plugin jars for tests: compiles sources against the test class path and packs them with service files. */
final class PluginJars {
    private PluginJars() {
    }

    /**
     * @param jar the jar to write
     * @param sources class name to source text
     * @param services service interface name to provider class names (one per line)
     * @param manifestAttributes extra main manifest attributes
     * @return the jar
     */
    static Path build(Path jar, Map<String, String> sources, Map<String, String> services, Map<String, String> manifestAttributes)
            throws IOException {
        Path work = Files.createTempDirectory(jar.getParent(), "src");
        Path classes = work.resolve("classes");
        Files.createDirectories(classes);
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = work.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"), "--release", "17"));
        args.addAll(files);
        int status = compiler.run(null, null, null, args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("test plugin did not compile");
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifestAttributes.forEach((k, v) -> manifest.getMainAttributes().putValue(k, v));
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            try (Stream<Path> walk = Files.walk(classes)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    jarOut.write(Files.readAllBytes(file));
                    jarOut.closeEntry();
                }
            }
            for (Map.Entry<String, String> service : services.entrySet()) {
                jarOut.putNextEntry(new JarEntry("META-INF/services/" + service.getKey()));
                jarOut.write(service.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                jarOut.closeEntry();
            }
        }
        return jar;
    }

    /** A softplus activation provider named {@code name}, optionally throwing in its constructor. */
    static String activationSource(String className, String name, boolean throwing) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        String pkg = className.substring(0, className.lastIndexOf('.'));
        return "package " + pkg + ";\n"
                + "import dev.backprop.api.*;\n"
                + "public final class " + simple + " implements ActivationProvider {\n"
                + "  public " + simple + "() {" + (throwing ? " throw new IllegalStateException(\"broken plugin\");" : "") + " }\n"
                + "  public String name() { return \"" + name + "\"; }\n"
                + "  public Activation create(PluginParameters p) {\n"
                + "    return new ElementwiseActivation() {\n"
                + "      public double apply(double x) { return x > 30 ? x : Math.log1p(Math.exp(x)); }\n"
                + "      public double derivative(double x, double y) { return 1 / (1 + Math.exp(-x)); }\n"
                + "    };\n"
                + "  }\n"
                + "}\n";
    }
}
