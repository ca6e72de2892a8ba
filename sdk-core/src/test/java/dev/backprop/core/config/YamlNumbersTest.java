package dev.backprop.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.ErrorCode;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Numbers and booleans are read as written: values that YAML 1.1 (SnakeYAML's default) and YAML 1.2 read
 * differently are refused with what each reads and what to write, in a file and in {@code --set} alike;
 * values both read the same way are accepted.
 */
class YamlNumbersTest {
    private static final ExperimentRunner RUNNER = new ExperimentRunner(PluginRegistry.discover());
    private static final String BASE = "network:\n  layers: [{dense: 1}]\ndata:\n  train: {synthetic: xor}\n";

    @TempDir
    Path dir;

    private Path file(String training) throws Exception {
        return Files.writeString(dir.resolve("c.yaml"), BASE + "training: " + training + "\n");
    }

    @ParameterizedTest(name = "epochs: {0}")
    @CsvSource(delimiter = '|', value = {
            "010    | '010' is 8 in YAML 1.1 (a leading zero means octal) but 10 in YAML 1.2; write 10 or 8.",
            "+010   | '+010' is 8 in YAML 1.1 (a leading zero means octal) but 10 in YAML 1.2; write 10 or 8.",
            "0o10   | '0o10' is octal 8 in YAML 1.2 but a string in YAML 1.1; write 8.",
            "0x1F   | '0x1F' is hexadecimal for 31; write numbers in decimal: 31.",
            "0b1    | '0b1' is binary 1 in YAML 1.1 but a string in YAML 1.2; write 1.",
            "1_000  | '1_000' is 1000 in YAML 1.1 but a string in YAML 1.2; write 1000.",
            "1:30   | '1:30' is 90 in YAML 1.1 (base 60) but a string in YAML 1.2; write 90.",
            "09     | '09' has a leading zero, which YAML 1.1 reads as octal; write 9.",
            "1e3    | got the number 1e3, which YAML reads as a fraction; write 1000."})
    void numeralsThatYaml11And12ReadDifferentlyAreRefusedWhereTheyStand(String written, String detail) throws Exception {
        Path file = file("{epochs: " + written + "}");
        assertThatThrownBy(() -> RUNNER.load(file, List.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.line()).isEqualTo(5);
                    assertThat(e.column()).isEqualTo(20);
                })
                .hasMessageContaining(file + ":5:20: training.epochs: expected a whole number >= 1")
                .hasMessageContaining(detail);
        // The same value given with --set is refused in the same words, at the --set argument.
        Path plain = file("{epochs: 3}");
        assertThatThrownBy(() -> RUNNER.load(plain, List.of("training.epochs=" + written)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("[BP-401] --set 'training.epochs=" + written + "': training.epochs: expected a whole number")
                .hasMessageContaining(detail);
    }

    @ParameterizedTest(name = "shuffle: {0}")
    @CsvSource({"yes, true", "no, false", "on, true", "off, false", "Yes, true", "OFF, false", "y, true", "n, false"})
    void yaml11BooleanWordsAreRefusedWhereABooleanIsExpected(String written, boolean meant) throws Exception {
        Path file = file("{shuffle: " + written + "}");
        assertThatThrownBy(() -> RUNNER.load(file, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file + ":5:21: training.shuffle: expected true or false; '" + written + "' is " + meant
                        + " in YAML 1.1 but the string '" + written + "' in YAML 1.2; write " + meant + ".");
        assertThatThrownBy(() -> RUNNER.load(file("{shuffle: true}"), List.of("training.shuffle=" + written)))
                .hasMessageStartingWith("[BP-401] --set 'training.shuffle=" + written + "': training.shuffle: expected true or false; '");
    }

    @Test
    void numbersBothVersionsReadAlikeAreAccepted() throws Exception {
        Path file = file("{epochs: +12, batch-size: 0, shuffle: False}".replace("0,", "4,"));
        ExperimentConfig config = RUNNER.load(file, List.of("optimizer={name: sgd, learning-rate: .5}", "data.validation-split=1E-1",
                "training.weight-decay=1e3"));
        assertThat(config.training().epochs()).isEqualTo(12);
        assertThat(config.training().batchSize()).isEqualTo(4);
        assertThat(config.training().shuffle()).isFalse();
        assertThat(config.optimizer().parameters()).containsEntry("learning-rate", 0.5);
        assertThat(config.data().validationSplit()).isEqualTo(0.1);
        assertThat(config.training().weightDecay()).isEqualTo(1000.0);
        assertThat(RUNNER.load(file, List.of("optimizer={name: sgd, learning-rate: 1E-3}")).optimizer().parameters())
                .containsEntry("learning-rate", 0.001);
    }

    @Test
    void wordsAndDigitsWhereAStringIsExpectedStayStringsAsYaml12ReadsThem() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), "name: 010\n" + BASE);
        assertThat(RUNNER.load(file, List.of()).name()).isEqualTo("010");
        assertThat(RUNNER.load(file, List.of("name=off")).name()).isEqualTo("off");
        assertThat(RUNNER.load(file, List.of("name=1_000")).name()).isEqualTo("1_000");
    }

    @Test
    void aPluginParameterWrittenAsAnOctalLookalikeIsRefusedWithWhatToWrite() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), BASE + "optimizer: {name: sgd, learning-rate: 010}\n");
        assertThatThrownBy(() -> RUNNER.load(file, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file + ":5:39: optimizer.learning-rate: ")
                .hasMessageContaining("'010' is 8 in YAML 1.1 (a leading zero means octal) but 10 in YAML 1.2; write 10 or 8.");
        assertThatThrownBy(() -> RUNNER.load(file, List.of("optimizer.learning-rate=0.1", "optimizer.momentum=0.5", "optimizer.nesterov=on")))
                .hasMessageContaining("optimizer.nesterov")
                .hasMessageContaining("'on' is true in YAML 1.1 but the string 'on' in YAML 1.2; write true.");
    }

    @Test
    void explicitTagsDoNotBringYaml11NumeralsBack() throws Exception {
        Path file = file("{epochs: !!int 010}");
        assertThatThrownBy(() -> RUNNER.load(file, List.of()))
                .hasMessageContaining("training.epochs").hasMessageContaining("write 10 or 8.");
        assertThatThrownBy(() -> RUNNER.load(file("{shuffle: !!bool yes}"), List.of()))
                .hasMessageContaining("training.shuffle").hasMessageContaining("write true.");
    }
}
