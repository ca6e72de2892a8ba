package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Output that cannot be written is an error: every command, in a fresh JVM whose standard output is
 * {@code /dev/full} or closed, exits 1 with the operating system's reason instead of 0 with nothing written.
 */
class UnwritableOutputTest {
    private static final Path CONFIG = Path.of("..", "config").toAbsolutePath().normalize();

    @TempDir
    static Path shared;

    static Path model;
    static Path onnx;
    static Path sweep;
    static Path xor;

    @BeforeAll
    static void aModelAndItsOnnxFile() throws IOException {
        xor = Files.writeString(shared.resolve("xor.yaml"), Files.readString(CONFIG.resolve("xor.yaml"))
                .replace("epochs: 2000", "epochs: 3"));
        Path iris = CONFIG.resolve("iris.yaml");
        StringWriter err = new StringWriter();
        assertThat(Main.run(new String[] {"train", iris.toString(), "--set", "training.epochs=2", "--out", shared.resolve("iris").toString(),
                "--quiet"}, new PrintWriter(new StringWriter()), new PrintWriter(err))).as(err.toString()).isZero();
        model = shared.resolve("iris/model.json");
        onnx = shared.resolve("iris.onnx");
        assertThat(Main.run(new String[] {"export", "--model", model.toString(), "--out", onnx.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err))).as(err.toString()).isZero();
        sweep = Files.writeString(shared.resolve("sweep.yaml"), "base: " + xor + "\ngrid:\n  optimizer.learning-rate: [0.1, 0.5]\nmetric: train-loss\n");
    }

    /** Every command, with the arguments that make it succeed when its output can be written. */
    static Stream<Arguments> commands() {
        List<Arguments> all = new ArrayList<>();
        for (LaunchedJvm.Stdout stdout : List.of(LaunchedJvm.Stdout.FULL_DEVICE, LaunchedJvm.Stdout.CLOSED)) {
            String tag = stdout.name().toLowerCase(java.util.Locale.ROOT);
            all.add(Arguments.of(stdout, List.of("train", "XOR", "--out", "OUT/train-" + tag)));
            all.add(Arguments.of(stdout, List.of("validate", "XOR")));
            all.add(Arguments.of(stdout, List.of("gradcheck", CONFIG.resolve("iris.yaml").toString(), "--batch", "4")));
            all.add(Arguments.of(stdout, List.of("evaluate", "--model", "MODEL", "--data", CONFIG.resolve("data/iris.csv").toString(),
                    "--out", "OUT/evaluate-" + tag)));
            all.add(Arguments.of(stdout, List.of("predict", "--model", "MODEL", "--input", "5.1,3.5,1.4,0.2")));
            all.add(Arguments.of(stdout, List.of("export", "--model", "MODEL", "--out", "OUT/export-" + tag + ".onnx")));
            all.add(Arguments.of(stdout, List.of("import", "--onnx", "ONNX", "--out", "OUT/import-" + tag + ".json")));
            all.add(Arguments.of(stdout, List.of("plugins")));
            all.add(Arguments.of(stdout, List.of("sweep", "SWEEP", "--out", "OUT/sweep-" + tag)));
            all.add(Arguments.of(stdout, List.of("--help")));
            all.add(Arguments.of(stdout, List.of("--version")));
            all.add(Arguments.of(stdout, List.of("train", "--help")));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{1} > {0}")
    @MethodSource("commands")
    void aCommandWhoseStandardOutputCannotBeWrittenExitsOneWithTheReason(LaunchedJvm.Stdout stdout, List<String> words) throws Exception {
        String[] args = words.stream().map(w -> w.replace("XOR", xor.toString()).replace("MODEL", model.toString())
                .replace("ONNX", onnx.toString()).replace("SWEEP", sweep.toString()).replace("OUT", shared.toString())).toArray(String[]::new);
        LaunchedJvm.Result result = LaunchedJvm.onModulePath(shared, stdout, args);
        String reason = stdout == LaunchedJvm.Stdout.FULL_DEVICE ? "no space left on device" : "bad file descriptor";
        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.err()).contains("error: [BP-503] standard output: could not be written: " + reason
                + "; what the command printed was lost.");
        assertThat(result.err().lines().filter(l -> l.startsWith("error:")).count()).as(result.err()).isEqualTo(1);

        // The same command with its output captured succeeds: the exit code above is the lost output's alone.
        if (stdout == LaunchedJvm.Stdout.FULL_DEVICE && words.get(0).equals("predict")) {
            LaunchedJvm.Result captured = LaunchedJvm.onModulePath(shared, LaunchedJvm.Stdout.CAPTURED, args);
            assertThat(captured.exitCode()).as(captured.err()).isZero();
            assertThat(captured.out()).contains("setosa");
        }
    }
}
