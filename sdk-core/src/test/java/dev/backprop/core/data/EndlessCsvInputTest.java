package dev.backprop.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV input that is not a regular file (a pipe, {@code /dev/stdin}, a FIFO) may never end: it is cut at
 * {@link CsvLoader#MAX_STREAM_VALUES} values, long before the 5,000,000-row bound of a file, so that
 * {@code yes 1,2,3,4 | backprop predict --input-file /dev/stdin} is refused in seconds and a few hundred MB.
 */
class EndlessCsvInputTest {
    @TempDir
    Path dir;

    @Test
    void aFifoOfShortRowsThatNeverEndsIsCutAtTheValueBoundNamingTheLine() throws Exception {
        Path fifo = dir.resolve("endless.csv");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        } catch (IOException e) {
            mkfifo = null;
        }
        assumeTrue(mkfifo != null && mkfifo.waitFor() == 0, "mkfifo makes a FIFO here");
        Thread writer = new Thread(() -> {
            byte[] row = "1,2,3,x\n".repeat(1024).getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write("a,b,c,label\n".getBytes(StandardCharsets.UTF_8));
                while (true) {
                    out.write(row);
                }
            } catch (IOException e) {
                // The reader gave up and closed its end: the pipe is broken, as it should be.
            }
        }, "endless-writer");
        writer.setDaemon(true);
        writer.start();

        // 4 values a row: row 500,001 (line 500,002) is the first past 2,000,000 values.
        assertThatThrownBy(() -> CsvLoader.from(fifo).label("label").load())
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_INVALID))
                .hasMessage("[BP-301] " + fifo + ":500002: more than " + CsvLoader.MAX_STREAM_VALUES + " values (rows times columns) "
                        + "from a pipe, FIFO or device, the limit for input that is not a regular file (it may never end); save the data "
                        + "to a file first (a file may have 5000000 rows and 536870912 bytes).");
        assertThat(CsvLoader.MAX_STREAM_VALUES).isEqualTo(2_000_000);
        writer.join();
    }

    @Test
    void aRegularFileKeepsTheRowAndByteBoundsOfAFileAndIsMeasuredBeforeItIsRead() throws IOException {
        Path rows = dir.resolve("rows.csv");
        // More values than a pipe may give (600,000 rows of 4), within a file's bounds: it loads.
        Files.writeString(rows, "a,b,c,d\n" + "1,2,3,4\n".repeat(600_000));
        assertThat(CsvLoader.from(rows).targets("d").load().dataset().size()).isEqualTo(600_000);
        Path sparse = dir.resolve("sparse.csv");
        try (var channel = java.nio.channels.FileChannel.open(sparse, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {'a'}), CsvLoader.MAX_BYTES); // a hole, then one byte
        }
        assertThatThrownBy(() -> CsvLoader.from(sparse).label("label").load())
                .hasMessage("[BP-301] " + sparse + ": " + (CsvLoader.MAX_BYTES + 1) + " bytes; a data file may have at most "
                        + CsvLoader.MAX_BYTES + " bytes.");
    }
}
