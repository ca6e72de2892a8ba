package dev.backprop.core.data;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.BackpropException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Errors name the physical line a row starts on, as an editor numbers it, not the parser's record number:
 * skipped empty and whitespace-only lines and quoted cells that span lines come before the bad row.
 */
class CsvPhysicalLinesTest {
    /** Line 1 the header, 2 a row, 3 empty, 4 spaces, 5 and 6 a quoted cell over two lines, 7 a tab, 8 a row, 9 the bad row. */
    private static final String FILE = "\uFEFFa,b,label\n1,2,x\n\n   \n3,4,\"two\nlines\"\n\t\n5,6,y\n7,abc,y\n8,9,x\n";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "line breaks {0}")
    @ValueSource(strings = {"LF", "CRLF", "CR"})
    void aBadNumberIsReportedAtItsPhysicalLine(String breaks) throws IOException {
        Path file = write(FILE, breaks);
        assertThatThrownBy(() -> CsvLoader.from(file).shownAs("d.csv").label("label").load())
                .isInstanceOf(BackpropException.class)
                .hasMessage("[BP-301] d.csv:9, column 'b': expected a finite decimal number such as 5.1 or -2e-3, got 'abc'.");
        assertThatThrownBy(() -> CsvLoader.loadFeatures(file, "d.csv", List.of("a", "b")))
                .hasMessage("[BP-301] d.csv:9, column 'b': expected a finite decimal number such as 5.1 or -2e-3, got 'abc'.");
    }

    @ParameterizedTest(name = "line breaks {0}")
    @ValueSource(strings = {"LF", "CRLF", "CR"})
    void aRaggedRowAfterAQuotedCellIsReportedAtItsPhysicalLine(String breaks) throws IOException {
        Path file = write("a,b,label\n1,2,\"multi\nline\nlabel\"\n\n3,y\n", breaks);
        assertThatThrownBy(() -> CsvLoader.from(file).shownAs("d.csv").label("label").load())
                .hasMessage("[BP-301] d.csv:6: the row has 2 cells but the header has 3 columns.");
    }

    @ParameterizedTest(name = "line breaks {0}")
    @ValueSource(strings = {"LF", "CRLF", "CR"})
    void labelErrorsNameThePhysicalLinesOfBothRows(String breaks) throws IOException {
        Path file = write("a,label\n1,1\n\n  \n2,\"x\ny\"\n3,1.0\n", breaks);
        assertThatThrownBy(() -> CsvLoader.from(file).shownAs("d.csv").label("label").load())
                .hasMessageContaining("d.csv:7, column 'label': the labels '1' (line 2) and '1.0' (line 7) are the same number");
        Path empty = write("a,label\n\n1,x\n\n2,\n", breaks);
        assertThatThrownBy(() -> CsvLoader.from(empty).shownAs("d.csv").label("label").load())
                .hasMessage("[BP-301] d.csv:5, column 'label': the label is empty.");
        Path unknown = write("a,label\n\n\n1,\"x\"\n2,z", breaks); // the last row has no line break
        assertThatThrownBy(() -> CsvLoader.from(unknown).shownAs("d.csv").label("label").knownClasses(List.of("x")).load())
                .hasMessageContaining("d.csv:5, column 'label': the class 'z' does not occur in the training data");
    }

    @ParameterizedTest(name = "line breaks {0}")
    @ValueSource(strings = {"LF", "CRLF", "CR"})
    void quoteErrorsNameThePhysicalLineToo(String breaks) throws IOException {
        // The parser's own line count, which these errors use, counts skipped lines and breaks in quoted cells already.
        Path unclosed = write("a,label\n\n  \n1,\"x\ny\"\n\n2,\"open\n3,4\n", breaks);
        assertThatThrownBy(() -> CsvLoader.from(unclosed).shownAs("d.csv").label("label").load())
                .hasMessageStartingWith("[BP-301] d.csv:7: a quoted cell is never closed");
        Path after = write("a,label\n\n1,\"x\ny\"\n2,\"z\"q\n", breaks);
        assertThatThrownBy(() -> CsvLoader.from(after).shownAs("d.csv").label("label").load())
                .hasMessageStartingWith("[BP-301] d.csv:5: text follows the closing quote of a cell");
    }

    private Path write(String text, String breaks) throws IOException {
        String lineBreak = switch (breaks) {
            case "CRLF" -> "\r\n";
            case "CR" -> "\r";
            default -> "\n";
        };
        return Files.write(dir.resolve("d.csv"), text.replace("\n", lineBreak).getBytes(StandardCharsets.UTF_8));
    }
}
