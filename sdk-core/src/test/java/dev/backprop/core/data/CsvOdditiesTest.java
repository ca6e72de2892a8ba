package dev.backprop.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.backprop.core.experiment.ExperimentRunner;
import dev.backprop.core.plugin.PluginRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV files a user may well have: very wide ones, other encodings, odd labels, odd blank lines. */
class CsvOdditiesTest {
    @TempDir
    Path dir;

    @Test
    void aFileWithTwoHundredThousandColumnsLoads() throws IOException {
        int columns = 200_000;
        Path wide = dir.resolve("wide.csv");
        try (Writer out = Files.newBufferedWriter(wide, StandardCharsets.UTF_8)) {
            for (int c = 0; c < columns; c++) {
                out.write("c" + c + ",");
            }
            out.write("label\n");
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < columns; c++) {
                    out.write(r == 0 ? String.valueOf(c % 10) : "0.5");
                    out.write(',');
                }
                out.write(r % 2 == 0 ? "a\n" : "b\n");
            }
        }
        LabelledData data = CsvLoader.from(wide).label("label").load();
        assertThat(data.dataset().size()).isEqualTo(4);
        assertThat(data.dataset().inputSize()).isEqualTo(columns);
        assertThat(data.features().get(columns - 1)).isEqualTo("c" + (columns - 1));
        assertThat(data.dataset().input(0)[123_457]).isEqualTo(7.0);
        assertThat(data.classes()).containsExactly("a", "b");
        double[][] picked = CsvLoader.loadFeatures(wide, "wide.csv", data.features());
        assertThat(picked[0][199_999]).isEqualTo(9.0);
        assertThat(picked[3][0]).isEqualTo(0.5);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "UTF-16LE | FFFE | UTF-16 text (little-endian: it starts with the byte-order mark FF FE), not UTF-8; save it as UTF-8, for example with iconv -f utf-16 -t utf-8.",
        "UTF-16BE | FEFF | UTF-16 text (big-endian: it starts with the byte-order mark FE FF), not UTF-8; save it as UTF-8, for example with iconv -f utf-16 -t utf-8.",
        "UTF-32LE | FFFE0000 | UTF-32 text (little-endian: it starts with the byte-order mark FF FE 00 00), not UTF-8; save it as UTF-8, for example with iconv -f utf-32 -t utf-8.",
        "UTF-32BE | 0000FEFF | UTF-32 text (big-endian: it starts with the byte-order mark 00 00 FE FF), not UTF-8; save it as UTF-8, for example with iconv -f utf-32 -t utf-8."})
    void textInAnotherUnicodeEncodingIsNamedNotCalledBinary(String charset, String bom, String expected) throws IOException {
        Path file = dir.resolve("wide-chars.csv");
        byte[] mark = java.util.HexFormat.of().parseHex(bom);
        byte[] text = "a,label\n1,x\n".getBytes(java.nio.charset.Charset.forName(charset));
        byte[] all = new byte[mark.length + text.length];
        System.arraycopy(mark, 0, all, 0, mark.length);
        System.arraycopy(text, 0, all, mark.length, text.length);
        Files.write(file, all);
        assertThatThrownBy(() -> CsvLoader.from(file).shownAs("wide-chars.csv").label("label").load())
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID))
                .hasMessage("[BP-301] wide-chars.csv: " + expected);
    }

    @Test
    void utf16WithoutAByteOrderMarkIsNamedToo() throws IOException {
        Path file = dir.resolve("no-mark.csv");
        Files.write(file, "a,label\n1,x\n2,y\n".getBytes(java.nio.charset.Charset.forName("UTF-16LE")));
        assertThatThrownBy(() -> CsvLoader.from(file).shownAs("no-mark.csv").label("label").load())
                .hasMessage("[BP-301] no-mark.csv: UTF-16 text without a byte-order mark (little-endian: every other byte is 0), "
                        + "not UTF-8; save it as UTF-8, for example with iconv -f utf-16le -t utf-8.");
        Files.write(file, "a,label\n1,x\n2,y\n".getBytes(java.nio.charset.Charset.forName("UTF-16BE")));
        assertThatThrownBy(() -> CsvLoader.from(file).shownAs("no-mark.csv").label("label").load())
                .hasMessageContaining("(big-endian: every other byte is 0)").hasMessageContaining("iconv -f utf-16be -t utf-8.");
        Files.write(file, new byte[] {'a', ',', 'b', '\n', '1', 0, '2', '\n'});
        assertThatThrownBy(() -> CsvLoader.from(file).shownAs("no-mark.csv").label("label").load())
                .hasMessageContaining("binary content, not text (a NUL byte at byte 6)");
    }

    @Test
    void aLatin1ByteIsLocatedByLineColumnAndOffset() throws IOException {
        Path file = dir.resolve("latin1.csv");
        byte[] head = "a,label\n1,x\n2,caf".getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(head, head.length + 2);
        all[head.length] = (byte) 0xE9;
        all[head.length + 1] = '\n';
        Files.write(file, all);
        assertThatThrownBy(() -> CsvLoader.from(file).shownAs("latin1.csv").label("label").load())
                .hasMessage("[BP-301] latin1.csv: not UTF-8 text: the byte 0xE9 at line 3, column 6 (byte offset 17) is not UTF-8 "
                        + "(written as Latin-1 or Windows-1252, perhaps); save it as UTF-8, for example with iconv -f latin1 -t utf-8.");
    }

    @Test
    void aForeignByteFarIntoALargeFileIsLocated() throws IOException {
        Path file = dir.resolve("late.csv");
        StringBuilder text = new StringBuilder("a,label\n");
        for (int r = 0; r < 20_000; r++) {
            text.append(r).append(",\u00e9t\u00e9\n"); // two-byte characters across the reader's chunks
        }
        byte[] good = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(good, good.length + 4);
        all[good.length] = '7';
        all[good.length + 1] = ',';
        all[good.length + 2] = (byte) 0xFC;
        all[good.length + 3] = '\n';
        Files.write(file, all);
        assertThatThrownBy(() -> CsvLoader.from(file).shownAs("late.csv").label("label").load())
                .hasMessageContaining("the byte 0xFC at line 20002, column 3 (byte offset " + (good.length + 2) + ")");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "0 and 0.0     | a,label\\n1,1\\n2,0\\n3,1\\n4,0.0\\n | n.csv:5, column 'label': the labels '0' (line 3) and '0.0' (line 5) are the same number; write each class one way",
        "01 and 1      | a,label\\n1,1\\n2,01\\n             | n.csv:3, column 'label': the labels '1' (line 2) and '01' (line 3) are the same number",
        "1.50 and 1.5  | a,label\\n1,1.50\\n2,2\\n3,1.5\\n   | n.csv:4, column 'label': the labels '1.50' (line 2) and '1.5' (line 4) are the same number"})
    void oneNumberWrittenTwoWaysIsRefused(String what, String content, String expected) throws IOException {
        Path file = dir.resolve("n.csv");
        Files.writeString(file, content.replace("\\n", "\n"));
        assertThatThrownBy(() -> CsvLoader.from(file).shownAs("n.csv").label("label").load())
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID))
                .hasMessageContaining(expected);
    }

    @Test
    void numericLabelsWrittenOneWayEachStayInNumericOrder() throws IOException {
        Path file = dir.resolve("n.csv");
        Files.writeString(file, "a,label\n1,10\n2,2.5\n3,-1\n4,10\n");
        assertThat(CsvLoader.from(file).label("label").load().classes()).containsExactly("-1", "2.5", "10");
    }

    @Test
    void aLineOfOnlySpacesIsSkippedLikeAnEmptyLine() throws IOException {
        Path file = dir.resolve("blank.csv");
        Files.writeString(file, "a,b,label\n1,2,x\n   \n\t\n\n3,4,y\n  \n");
        LabelledData data = CsvLoader.from(file).label("label").load();
        assertThat(data.dataset().size()).isEqualTo(2);
        assertThat(data.dataset().input(1)).containsExactly(3.0, 4.0);
        assertThat(data.classes()).containsExactly("x", "y");
    }

    @Test
    void aLabelWithALineBreakIsEchoedOnOneLine() throws IOException {
        Files.writeString(dir.resolve("quoted.csv"), "a,label\n1,n\n2,p\n3,\"x,\ny\"\n");
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, "network:\n  layers: [{dense: 2}, {activation: softmax}]\nloss: cross-entropy\n"
                + "data:\n  train: {csv: quoted.csv, label: label}\n");
        ExperimentRunner runner = new ExperimentRunner(PluginRegistry.discover());
        assertThatThrownBy(() -> runner.prepare(runner.load(config, List.of())))
                .isInstanceOf(BackpropException.class)
                .hasMessageContaining("(one per class: n, p, x,\\ny)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r"));
        Files.writeString(dir.resolve("test.csv"), "a,label\n1,\"new\nclass\"\n");
        assertThatThrownBy(() -> CsvLoader.from(dir.resolve("test.csv")).shownAs("test.csv").label("label")
                .knownClasses(List.of("n", "x,\ny")).load())
                .hasMessage("[BP-301] test.csv:2, column 'label': the class 'new\\nclass' does not occur in the training data; "
                        + "known classes: n, x,\\ny.");
        Files.writeString(dir.resolve("header.csv"), "\"a\nb\",label\nzz,x\n");
        assertThatThrownBy(() -> CsvLoader.from(dir.resolve("header.csv")).shownAs("header.csv").label("label").load())
                .hasMessageContaining(", column 'a\\nb': expected a finite decimal number such as 5.1 or -2e-3, got 'zz'.");
    }
}
