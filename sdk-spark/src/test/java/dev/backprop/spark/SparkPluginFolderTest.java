package dev.backprop.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.RunOptions;
import dev.backprop.core.experiment.RunResult;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin the driver loaded from a folder ({@code --plugins DIR}) is loaded by the executors too. */
class SparkPluginFolderTest {
    private static final Path SPIRALS = Path.of("src/test/resources/experiments/spirals.yaml");

    @TempDir
    Path dir;

    @Test
    void executorsLoadTheDriversPluginFolders() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        writePluginJar(folder.resolve("softsign.jar"));
        PluginRegistry registry = PluginRegistry.builder().include(PluginRegistry.discover()).discoverJars(folder).build();
        assertThat(PluginRegistry.discover().names(dev.backprop.api.PluginKind.ACTIVATION)).doesNotContain("softsign");
        ExperimentRunner driver = new ExperimentRunner(registry);
        List<String> softsign = List.of("network.layers[1].activation=softsign");

        RunResult local = driver.run(SPIRALS, softsign, new RunOptions(dir.resolve("local"), dir, null, List.of()));
        List<String> spark = new java.util.ArrayList<>(softsign);
        spark.add("training.distributed.master=local[2]");
        RunResult distributed = driver.run(SPIRALS, spark, new RunOptions(dir.resolve("spark"), dir, null, List.of()));

        double worst = SparkTrainingTest.maxRelativeDifference(SparkTrainingTest.weights(local),
                SparkTrainingTest.weights(distributed));
        assertThat(worst).isLessThan(1e-12);
        assertThat(Files.readString(distributed.runDirectory().resolve("config.yaml"))).contains("activation softsign");
    }

    /** A plugin jar: the two classes and a service file, as a plugin project would package them. */
    private static void writePluginJar(Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Class<?> type : List.of(Softsign.class, Softsign.Provider.class)) {
                String name = type.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(name));
                try (var in = SparkPluginFolderTest.class.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/dev.backprop.api.ActivationProvider"));
            OutputStream body = out;
            body.write((Softsign.Provider.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}
