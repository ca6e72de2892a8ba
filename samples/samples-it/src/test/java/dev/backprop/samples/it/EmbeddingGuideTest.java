package dev.backprop.samples.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Follows docs/embedding.md word for word: writes every file the guide shows (each code block that starts
 * with a {@code file:} comment) into a fresh project, runs the guide's build and run commands as written
 * (Maven offline, against the local repository the SDK was installed in), and checks what the
 * application prints on the module path, that it prints nothing on the error stream, and the guide's
 * other claims: the same program on the class path, SLF4J's warning without a backend, and the core
 * without Guice and Guava.
 */
class EmbeddingGuideTest {
    private static final Path GUIDE = Path.of("..", "..", "docs", "embedding.md").toAbsolutePath().normalize();
    private static final Pattern BLOCK = Pattern.compile("```(\\w*)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern FILE_MARKER = Pattern.compile("^(?://|<!--) file: (\\S+?)(?: -->)?$");

    private record Launched(int exitCode, String out, String err) {
    }

    @TempDir
    static Path scratch;
    private static Path project;
    private static List<String> commands;
    private static List<Path> dependencies;

    /** Writes the guide's project and runs its build command, as written; offline, against the repository the SDK was installed in. */
    @BeforeAll
    static void buildTheGuidesProject() throws Exception {
        project = scratch.resolve("circles-app");
        commands = writeProjectFromGuide(project);
        assertThat(commands).hasSize(2);
        List<String> build = new ArrayList<>(Arrays.asList(commands.get(0).split(" ")));
        assertThat(build.get(0)).isEqualTo("mvn");
        build.addAll(List.of("-B", "-o", "-Dmaven.repo.local=" + localRepository()));
        assertThat(CustomPluginSampleTest.maven(project, build.subList(1, build.size()).toArray(String[]::new)))
                .as("the guide's project builds").isZero();
        try (Stream<Path> jars = Files.list(project.resolve("target/dependency"))) {
            dependencies = jars.sorted().toList();
        }
    }

    @Test
    void theGuidesApplicationBuildsAndRunsOnTheModulePathWithGuiceAndNoWarning() throws Exception {
        assertThat(Files.readString(project.resolve("pom.xml"))).contains("<artifactId>backprop-bom</artifactId>",
                "<artifactId>backprop</artifactId>");
        assertThat(dependencies).extracting(p -> p.getFileName().toString())
                .anyMatch(n -> n.startsWith("sdk-core-")).anyMatch(n -> n.startsWith("plugin-activations-"))
                .anyMatch(n -> n.startsWith("guice-")).anyMatch(n -> n.startsWith("slf4j-simple-"));

        // The run command, as written, with this JVM's java.
        List<String> run = new ArrayList<>(Arrays.asList(commands.get(1).split(" ")));
        assertThat(run.get(0)).isEqualTo("java");
        assertThat(run).contains("--module-path");
        run.set(0, java());
        Launched modulePath = launch(project, run);
        System.out.println("The guide's application printed:\n" + modulePath.out());
        assertThat(modulePath.exitCode()).as(modulePath.err()).isZero();
        assertThat(warnings(modulePath.err())).as("no warning on the error stream, no SLF4J notice").isEmpty();
        // slf4j-simple writes INFO to the error stream too: the one INFO line says which kernels run.
        assertThat(modulePath.err()).contains("INFO dev.backprop.core.linalg.Kernels - Using the plain Java kernels; start Java "
                + "with --add-modules jdk.incubator.vector");
        assertApplicationOutput(modulePath.out());
        assertThat(project.resolve("target/model/circles-model.json")).content().contains("\"loss\" : \"cross-entropy\"",
                "\"classes\" : [ \"outer\", \"inner\" ]");

        // The same program on the class path, as the guide says; from JDK 24 with the flag the guide gives,
        // as Guava 31 and Guice 7 call sun.misc.Unsafe there (on the module path they print nothing).
        List<String> onClassPath = new ArrayList<>(List.of(java()));
        if (Runtime.version().feature() >= 24) {
            onClassPath.add("--sun-misc-unsafe-memory-access=allow");
        }
        onClassPath.addAll(List.of("-cp", "target/classes" + File.pathSeparator + "target/dependency/*", "com.example.circles.App"));
        Launched classPath = launch(project, onClassPath);
        assertThat(classPath.exitCode()).as(classPath.err()).isZero();
        assertThat(warnings(classPath.err())).isEmpty();
        assertApplicationOutput(classPath.out());

        // Without a logging backend SLF4J says so, as the guide's Logging section says.
        Launched noBackend = launch(project, List.of(java(), "--module-path", modulePath(project, dependencies,
                n -> !n.startsWith("slf4j-simple-")), "--module", "com.example.circles/com.example.circles.App"));
        assertThat(noBackend.exitCode()).as(noBackend.err()).isZero();
        assertThat(noBackend.err()).contains("SLF4J(W): No SLF4J providers were found.");
    }

    /**
     * The guide's account of Guice on the module path: without the {@code exports} line the application
     * fails with Guice's IllegalAccessError, and with {@code -Dguice_bytecode_gen_option=DISABLED} the
     * {@code opens} line alone is enough.
     */
    @Test
    void withoutTheExportsLineGuiceNeedsItsBytecodeGenerationTurnedOff() throws Exception {
        Path sources = scratch.resolve("unexported");
        Path moduleInfo = sources.resolve("module-info.java");
        Files.createDirectories(sources);
        String descriptor = Files.readString(project.resolve("src/main/java/module-info.java"));
        assertThat(descriptor).contains("    exports com.example.circles;\n");
        Files.writeString(moduleInfo, descriptor.replace("    exports com.example.circles;\n", ""));
        Path classes = scratch.resolve("unexported-classes");
        List<String> javac = new ArrayList<>(List.of("-d", classes.toString(), "--module-path", modulePath(project, dependencies, n -> true)
                .replace(project.resolve("target/classes") + File.pathSeparator, ""), moduleInfo.toString()));
        try (Stream<Path> java = Files.list(project.resolve("src/main/java/com/example/circles"))) {
            java.map(Path::toString).forEach(javac::add);
        }
        assertThat(javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, javac.toArray(String[]::new))).isZero();
        String path = classes + File.pathSeparator + modulePath(project, dependencies, n -> true)
                .replace(project.resolve("target/classes") + File.pathSeparator, "");

        Launched generated = launch(project, List.of(java(), "--module-path", path, "--module", "com.example.circles/com.example.circles.App"));
        assertThat(generated.exitCode()).isNotZero();
        assertThat(generated.err()).contains("IllegalAccessError", "$$FastClassByGuice$$", "(in unnamed module",
                "cannot access class com.example.circles.CirclesClassifier", "does not export com.example.circles");

        Launched reflective = launch(project, List.of(java(), "-Dguice_bytecode_gen_option=DISABLED", "--module-path", path, "--module",
                "com.example.circles/com.example.circles.App"));
        assertThat(reflective.exitCode()).as(reflective.err()).isZero();
        assertThat(warnings(reflective.err())).isEmpty();
        assertApplicationOutput(reflective.out());
    }

    @Test
    void theCoreRunsWithoutGuiceAndGuavaOnTheModulePath() throws Exception {
        List<String> guiceAndGuava = List.of("guice-", "guava-", "failureaccess-", "listenablefuture-", "aopalliance-", "jsr305-",
                "checker-qual-", "error_prone_annotations-", "j2objc-annotations-");
        String withoutGuice = dependencies.stream().map(p -> p.getFileName().toString())
                .filter(n -> guiceAndGuava.stream().noneMatch(n::startsWith) && !n.startsWith("backprop-"))
                .map(n -> project.resolve("target/dependency").resolve(n).toString())
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(withoutGuice).doesNotContain("guice").doesNotContain("guava");
        Path program = scratch.resolve("NoGuice.java");
        Files.writeString(program, """
                import dev.backprop.core.Backprop;
                import dev.backprop.core.network.Network;
                import dev.backprop.core.training.Dataset;
                import dev.backprop.core.training.Trainer;
                import java.nio.file.Path;
                import java.util.Map;

                public class NoGuice {
                    public static void main(String[] args) {
                        Backprop backprop = Backprop.create();
                        Dataset xor = Dataset.of(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}, new double[][] {{0}, {1}, {1}, {0}});
                        Network network = backprop.network(2).dense(4).activation("tanh").dense(1).activation("sigmoid").seed(7).build();
                        Trainer trainer = backprop.trainer().loss("squared-error").optimizer("sgd", Map.of("learning-rate", 0.5, "momentum", 0.9))
                                .epochs(2000).seed(7).build();
                        trainer.fit(network, xor);
                        backprop.save(network, trainer, xor, Path.of(args[0]));
                        double[] y = backprop.load(Path.of(args[0])).predict(new double[] {1, 0});
                        System.out.println("accuracy " + trainer.evaluate(network, xor).accuracy() + ", xor(1, 0) = " + y[0]
                                + ", guice loaded: " + ModuleLayer.boot().findModule("com.google.guice").isPresent());
                    }
                }
                """);
        Launched run = launch(scratch, List.of(java(), "--module-path", withoutGuice, "--add-modules", "dev.backprop.core",
                program.toString(), scratch.resolve("xor.json").toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("accuracy 1.0, xor(1, 0) = 0.9", "guice loaded: false");
    }

    private static void assertApplicationOutput(String out) {
        assertThat(out).contains("saved and loaded circles-model.json: classes [outer, inner]", "[0.0, 0.0] -> inner",
                "[0.5, 0.0] -> inner", "[0.0, -1.0] -> outer", "[0.7, 0.7] -> outer", "1000 predictions from 4 threads agree");
        assertThat(out).containsPattern("epoch 25: train loss \\d\\.\\d{4}");
        Matcher accuracy = Pattern.compile("validation loss \\S+, accuracy (\\S+)").matcher(out);
        assertThat(accuracy.find()).as(out).isTrue();
        assertThat(Double.parseDouble(accuracy.group(1))).isGreaterThanOrEqualTo(0.98);
    }

    /** Writes each file block of the guide into {@code project}; returns the lines of the build-and-run block. */
    static List<String> writeProjectFromGuide(Path project) throws IOException {
        String guide = Files.readString(GUIDE, StandardCharsets.UTF_8);
        Matcher block = BLOCK.matcher(guide);
        List<String> written = new ArrayList<>();
        List<String> commands = null;
        while (block.find()) {
            String body = block.group(2);
            int newline = body.indexOf('\n');
            Matcher marker = FILE_MARKER.matcher(newline < 0 ? body : body.substring(0, newline));
            if (marker.matches()) {
                Path file = project.resolve(marker.group(1));
                Files.createDirectories(file.getParent());
                Files.writeString(file, body.substring(newline + 1));
                written.add(marker.group(1));
            } else if (block.group(1).equals("sh")) {
                assertThat(commands).as("one shell block in the guide").isNull();
                commands = body.lines().filter(l -> !l.isBlank()).toList();
            }
        }
        assertThat(written).containsExactlyInAnyOrder("pom.xml", "src/main/java/module-info.java",
                "src/main/java/com/example/circles/CirclesClassifier.java", "src/main/java/com/example/circles/App.java");
        assertThat(commands).isNotNull();
        return commands;
    }

    private static String modulePath(Path project, List<Path> dependencies, java.util.function.Predicate<String> keep) {
        List<String> entries = new ArrayList<>(List.of(project.resolve("target/classes").toString()));
        dependencies.stream().filter(p -> keep.test(p.getFileName().toString())).map(Path::toString).forEach(entries::add);
        return String.join(File.pathSeparator, entries);
    }

    private static String localRepository() {
        String repository = System.getProperty("maven.repo.local");
        assertThat(repository).as("surefire passes the build's local repository").isNotBlank();
        return repository;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Launched launch(Path dir, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("guide-out", ".txt");
        Path err = Files.createTempFile("guide-err", ".txt");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("did not finish within 10 minutes (a hang detector only): " + command);
            }
            return new Launched(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The error stream without slf4j-simple's INFO lines: whatever warns, fails or is not a log line. */
    private static List<String> warnings(String err) {
        return err.lines().filter(line -> !line.startsWith("[main] INFO ")).toList();
    }
}
