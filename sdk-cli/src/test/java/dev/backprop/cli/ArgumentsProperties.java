package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property: any command line made of hostile and plausible tokens ends with exit code 0, 1 or 2 and a
 * message, never an uncaught exception, and writes no run directory.
 */
class ArgumentsProperties {
    private static final List<String> TOKENS = List.of("train", "validate", "gradcheck", "evaluate", "predict", "plugins",
            "--help", "-h", "--version", "--set", "training.epochs=0", "x=", "=", "--out", "--model", "--data", "--input",
            "1,2", "1,,2", "NaN,1", "--input-file", "--batch", "-5", "0", "99999999999", "--tolerance", "abc", "-1e309",
            "--resume", "nonexistent.yaml", "nonexistent/model.json", "--verbose", "--quiet", "--plugins", "no/such/dir",
            "", " ", "\u0000", "-", "--", "-x", "--unknown", "\u00e9\u4e2d", "x".repeat(10_000), "../config/data/iris.csv",
            "pom.xml", "target", "/dev/null");

    @Provide
    Arbitrary<List<String>> commandLines() {
        return Arbitraries.of(TOKENS).list().ofMaxSize(8);
    }

    @Property(tries = 300)
    void everyCommandLineEndsWithADocumentedExitCode(@ForAll("commandLines") List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as(String.join(" ", args)).isIn(0, 1, 2);
        if (code != 0) {
            assertThat(err.toString()).as("an error message for " + args).isNotBlank();
        }
        assertThat(Files.exists(Path.of("runs"))).as("no run directory written").isFalse();
    }
}
