package dev.backprop.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.ErrorCode;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.experiment.RunOptions;
import dev.backprop.core.experiment.RunResult;
import dev.backprop.core.plugin.PluginRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A configuration saved as UTF-16 or UTF-32 with a byte-order mark is read as the same configuration in UTF-8. */
class UnicodeConfigTest {
    private static final ExperimentRunner RUNNER = new ExperimentRunner(PluginRegistry.discover());
    /** Non-ASCII text too: "é" and a character outside the Basic Multilingual Plane (a surrogate pair in UTF-16). */
    private static final String CONFIG = "name: marked # caf\u00e9 \uD83D\uDE80\r\nseed: 3\nnetwork:\n  layers: [{dense: 4}, {activation: tanh}, {dense: 1}]\n"
            + "training: {epochs: 2, batch-size: 4}\ndata:\n  train: {synthetic: xor}\n";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"UTF-16LE, FFFE", "UTF-16BE, FEFF", "UTF-32LE, FFFE0000", "UTF-32BE, 0000FEFF", "UTF-8, EFBBBF"})
    void aConfigurationWithAByteOrderMarkTrainsAsInUtf8(String encoding, String mark) throws Exception {
        Path marked = Files.write(dir.resolve("marked.yaml"), withMark(mark, CONFIG.getBytes(Charset.forName(encoding))));
        Path plain = Files.write(dir.resolve("plain.yaml"), CONFIG.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ExperimentConfig config = RUNNER.load(marked, List.of());
        assertThat(config.name()).isEqualTo("marked");
        RunResult fromMarked = RUNNER.run(marked, List.of(), new RunOptions(dir.resolve("runs-marked"), dir, null, List.of()));
        RunResult fromPlain = RUNNER.run(plain, List.of(), new RunOptions(dir.resolve("runs-plain"), dir, null, List.of()));
        assertThat(fromMarked.history().epochs()).hasSize(2);
        assertThat(fromMarked.history().epochs()).extracting(dev.backprop.api.EpochMetrics::trainLoss)
                .isEqualTo(fromPlain.history().epochs().stream().map(dev.backprop.api.EpochMetrics::trainLoss).toList());
        // The form shipped to a cluster reads it the same way.
        assertThat(ExperimentSource.read(marked, List.of()).text()).isEqualTo(CONFIG);
    }

    @Test
    void invalidUtf16AfterItsMarkIsNamedAsSuch() throws Exception {
        byte[] text = "name: x\n".getBytes(Charset.forName("UTF-16LE"));
        byte[] broken = new byte[text.length + 2];
        System.arraycopy(text, 0, broken, 0, text.length);
        broken[text.length] = 0x00;
        broken[text.length + 1] = (byte) 0xDC; // a low surrogate alone
        Path file = Files.write(dir.resolve("broken.yaml"), withMark("FFFE", broken));
        assertThatThrownBy(() -> RUNNER.load(file, List.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("broken.yaml: the file starts with the byte-order mark of UTF-16 (little-endian: FF FE) but is "
                        + "not valid UTF-16 text; save it as UTF-8");
    }

    @Test
    void aNulCharacterInUtf16IsStillRefused() throws Exception {
        Path file = Files.write(dir.resolve("nul.yaml"), withMark("FFFE", "name: x\u0000\n".getBytes(Charset.forName("UTF-16LE"))));
        assertThatThrownBy(() -> RUNNER.load(file, List.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageEndingWith("nul.yaml: the character U+0000 (character 8 of the text) is not allowed in YAML (control "
                        + "characters other than tab and line breaks are not); is it a binary file?");
    }

    private static byte[] withMark(String hex, byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(java.util.HexFormat.of().parseHex(hex));
        out.writeBytes(text);
        return out.toByteArray();
    }
}
