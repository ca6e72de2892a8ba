package dev.backprop.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.ErrorCode;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.plugin.PluginRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configuration saved as Latin-1 is named as not UTF-8, at its first foreign byte, with what to do. */
class NotUtf8ConfigTest {
    private static final ExperimentRunner RUNNER = new ExperimentRunner(PluginRegistry.discover());
    /** "é" in Latin-1 is the single byte 0xE9, which UTF-8 never has alone. */
    private static final byte[] LATIN_1 = ("name: caf\u00e9\nnetwork:\n  layers: [{dense: 1}]\ndata:\n  train: {synthetic: xor}\n"
            + "# r\u00e9sum\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);

    @TempDir
    Path dir;

    @Test
    void aLatin1ByteIsNamedWithItsLineColumnAndOffsetAndWhatToDo() throws Exception {
        Path file = Files.write(dir.resolve("latin1.yaml"), LATIN_1);
        String expected = "latin1.yaml:1:10: the file is not UTF-8 text: the byte 0xE9 at line 1, column 10 (byte offset 9) is not "
                + "UTF-8 (written as Latin-1 or Windows-1252, perhaps). Configurations are UTF-8";
        assertThatThrownBy(() -> RUNNER.load(file, List.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.line()).isEqualTo(1);
                })
                .hasMessageContaining(expected).hasMessageContaining("save it as UTF-8")
                .hasMessageNotContaining("input length");
        // The form shipped to a cluster (and a sweep's base) reads the file the same way and says the same.
        assertThatThrownBy(() -> ExperimentSource.read(file, List.of())).hasMessageContaining(expected);
    }

    @Test
    void theLineAndColumnCountCharactersNotBytes() throws Exception {
        byte[] head = "name: x\n# \u00fc\u00fc ok\n".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "seed: 1 # \u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        Path file = Files.write(dir.resolve("mixed.yaml"), all);
        assertThatThrownBy(() -> RUNNER.load(file, List.of()))
                .hasMessageContaining("mixed.yaml:3:11: the file is not UTF-8 text: the byte 0xE9 at line 3, column 11 (byte offset "
                        + (head.length + 10) + ")");
    }
}
