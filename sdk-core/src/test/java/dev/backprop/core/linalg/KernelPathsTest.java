package dev.backprop.core.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.api.TrainableParameter;
import dev.backprop.core.Backprop;
import dev.backprop.core.gradcheck.GradientChecker;
import dev.backprop.core.network.Network;
import dev.backprop.core.training.Dataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SIMD and the plain Java kernels inside whole training runs: each passes the gradient check on layers
 * wide enough for full SIMD tiles, each gives bit-identical weights for 1, 2 and 4 threads, the two agree
 * to round-off, and a JVM without {@code jdk.incubator.vector} falls back to the plain kernels with one
 * log line saying how to enable the fast path; the system property {@code backprop.kernels} overrides
 * the choice.
 */
class KernelPathsTest {
    private static final Backprop BACKPROP = Backprop.create();

    @AfterEach
    void restore() {
        Kernels.use("auto");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "scalar"})
    void gradientCheckPassesOnWideLayers(String kind) {
        Kernels.use(kind);
        // 29 -> 40 -> 27 -> 3 over a batch of 9: full 4-row tiles, 3-vector tiles, one-vector and scalar edges.
        Network network = BACKPROP.network(29).dense(40, true, "xavier-normal", Map.of()).activation("tanh")
                .dense(27, true, "xavier-normal", Map.of()).activation("sigmoid").dense(3).activation("sigmoid").seed(21).build();
        SplittableRandom random = new SplittableRandom(22);
        double[][] x = new double[9][29];
        double[][] y = new double[9][3];
        for (int r = 0; r < 9; r++) {
            for (int c = 0; c < 29; c++) {
                x[r][c] = random.nextDouble(-1, 1);
            }
            y[r][random.nextInt(3)] = 1;
        }
        var report = new GradientChecker().check(network, BACKPROP.plugins().createLoss("squared-error", Map.of()), Dataset.of(x, y));
        assertThat(report.passed()).as(report.toString()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "scalar"})
    void trainedWeightsAreBitIdenticalForAnyThreadCount(String kind) {
        Kernels.use(kind);
        List<double[]> one = null;
        for (int threads : new int[] {1, 2, 4}) {
            List<double[]> w = train(threads);
            if (one == null) {
                one = w;
            } else {
                for (int p = 0; p < w.size(); p++) {
                    assertThat(w.get(p)).as("%s kernels, %d threads, parameter %d", kind, threads, p).isEqualTo(one.get(p));
                }
            }
        }
    }

    @Test
    void theTwoPathsAgreeToRoundOff() {
        Kernels.use("scalar");
        List<double[]> scalar = train(2);
        Kernels.use("vector");
        List<double[]> vector = train(2);
        for (int p = 0; p < scalar.size(); p++) {
            double[] s = scalar.get(p);
            double[] v = vector.get(p);
            for (int i = 0; i < s.length; i++) {
                assertThat(v[i]).as("parameter %d[%d]", p, i).isCloseTo(s[i], within(1e-10));
            }
        }
    }

    @Test
    void withoutTheModuleTheJvmRunsThePlainKernelsAndSaysHowToEnableTheFastPath(@TempDir Path dir) throws Exception {
        Path logback = infoLogback(dir);
        String without = run(logback, false, null);
        assertThat(without).contains("kernels: scalar");
        assertThat(without.lines().filter(l -> l.contains("--add-modules jdk.incubator.vector"))).hasSize(1);
        String with = run(logback, true, null);
        assertThat(with).contains("kernels: vector-").doesNotContain("plain Java kernels");
        assertThat(run(logback, true, "scalar")).contains("kernels: scalar").doesNotContain("--add-modules");
        assertThat(run(logback, true, "simd")).contains("backprop.kernels must be auto, vector or scalar, got 'simd'")
                .contains("kernels: vector-");
        assertThat(run(logback, false, "vector")).contains("WARN backprop.kernels=vector asks for the SIMD kernels, but this "
                + "JVM was started without --add-modules jdk.incubator.vector; using the plain Java kernels.")
                .contains("kernels: scalar");
    }

    @Test
    void whereSimdWouldBeSlowTheAutomaticChoiceIsThePlainKernelsAndSaysWhy(@TempDir Path dir) throws Exception {
        Path logback = infoLogback(dir);
        // Without fused multiply-add in hardware every FMA would be computed in software.
        assertThat(run(logback, true, null, List.of("-XX:-UseFMA"), false)).contains("kernels: scalar")
                .contains("INFO Using the plain Java kernels: the JVM reports no fused multiply-add in hardware (UseFMA is off).")
                .doesNotContain("start Java with");
        // Two-double registers gain nothing; asking for them anyway is honoured with a warning.
        assertThat(run(logback, true, null, List.of("-XX:MaxVectorSize=16"), false)).contains("kernels: scalar")
                .contains("holds only 2 doubles");
        assertThat(run(logback, true, "vector", List.of("-XX:MaxVectorSize=16"), false)).contains("kernels: vector-128")
                .contains("WARN Using the SIMD kernels as backprop.kernels=vector asks, although");
    }

    @Test
    void simdWeightsDoNotDependOnTheRegisterWidth(@TempDir Path dir) throws Exception {
        Path logback = dir.resolve("logback.xml");
        Files.writeString(logback, "<configuration><root level='WARN'/></configuration>");
        String widest = run(logback, true, "vector", List.of(), true);
        String weights = widest.lines().filter(l -> l.startsWith("weights: ")).findFirst().orElseThrow();
        for (String width : new String[] {"32", "16"}) {
            String narrower = run(logback, true, "vector", List.of("-XX:MaxVectorSize=" + width), true);
            assertThat(narrower).contains("kernels: vector-" + Integer.parseInt(width) * 8).contains(weights);
        }
    }

    /** A Logback configuration that prints every INFO line as {@code LEVEL message}. */
    private static Path infoLogback(Path dir) throws IOException {
        Path logback = dir.resolve("logback.xml");
        Files.writeString(logback, "<configuration><appender name='OUT' class='ch.qos.logback.core.ConsoleAppender'>"
                + "<encoder><pattern>%level %msg%n</pattern></encoder></appender>"
                + "<root level='INFO'><appender-ref ref='OUT'/></root></configuration>");
        return logback;
    }

    private static String run(Path logback, boolean vector, String kernels) throws IOException, InterruptedException {
        return run(logback, vector, kernels, List.of(), false);
    }

    private static String run(Path logback, boolean vector, String kernels, List<String> jvmOptions, boolean train)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (vector) {
            command.add("--add-modules");
            command.add("jdk.incubator.vector");
        }
        command.add("-Dlogback.configurationFile=" + logback);
        if (kernels != null) {
            command.add("-Dbackprop.kernels=" + kernels);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(KernelProbe.class.getName());
        if (train) {
            command.add("train");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("a hang detector only").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static List<double[]> train(int threads) {
        Network network = KernelProbe.network(BACKPROP);
        BACKPROP.trainer().loss("squared-error").optimizer("sgd", Map.of("learning-rate", 0.05)).epochs(2).batchSize(32).seed(3)
                .threads(threads).build().fit(network, KernelProbe.data());
        List<double[]> copy = new ArrayList<>();
        for (TrainableParameter p : network.parameters()) {
            copy.add(p.values().clone());
        }
        return copy;
    }
}
