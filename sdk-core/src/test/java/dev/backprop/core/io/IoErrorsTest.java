package dev.backprop.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operating system's reason, in plain words, and short excerpts of what a user gave. */
class IoErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskSaysSo() {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full), "Linux's /dev/full, which answers every write with ENOSPC");
        IOException failure = null;
        try {
            Files.write(full, new byte[8192]);
        } catch (IOException e) {
            failure = e;
        }
        assertThat(failure).isNotNull();
        assertThat(IoErrors.reason(failure)).isEqualTo("no space left on device");
    }

    @Test
    void theOperatingSystemsReasonsInPlainWords() {
        assertThat(IoErrors.reason(new AccessDeniedException("/etc/shadow"))).isEqualTo("permission denied");
        assertThat(IoErrors.reason(new NotDirectoryException("/a/b"))).isEqualTo("not a directory");
        assertThat(IoErrors.reason(new java.nio.file.NoSuchFileException("/a"))).isEqualTo("no such file or directory");
        assertThat(IoErrors.reason(new java.nio.file.FileSystemException("/a", null, "Read-only file system")))
                .isEqualTo("read-only file system");
        assertThat(IoErrors.reason(new java.io.UncheckedIOException(new AccessDeniedException("x")))).isEqualTo("permission denied");
    }

    @Test
    void aWriteThatFailsNamesTheFileAndTheReason() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "");
        assertThatThrownBy(() -> AtomicFiles.writeString(file.resolve("inside.txt"), "x"))
                .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OUTPUT_FAILED))
                .hasMessageMatching("\\[BP-503] .*inside\\.txt: could not be written: .*(not a directory|exists).*");
    }

    @Test
    void excerptsAreShortAndOnOneLine() {
        assertThat(IoErrors.excerpt("short")).isEqualTo("short");
        String cut = IoErrors.excerpt("a\nb" + "x".repeat(10_000));
        assertThat(cut).startsWith("a\\nbxx").endsWith("... (10003 characters)").hasSizeLessThan(120).doesNotContain("\n");
    }

    @Test
    void controlCharactersAreEscapedSoThatAnErrorStaysOneLine() {
        assertThat(IoErrors.excerpt("x,\ny")).isEqualTo("x,\\ny");
        assertThat(IoErrors.excerpt("a\r\tb\u0007c\u2028d")).isEqualTo("a\\r\\tb\\u0007c\\u2028d");
        assertThat(IoErrors.excerpt("plain é text")).isEqualTo("plain é text");
    }

    @Test
    void aFifoThatNoProcessWritesToIsRefusedInsteadOfHanging() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "mkfifo is not available");
            return;
        }
        assumeTrue(mkfifo.waitFor() == 0 && Files.exists(fifo), "a FIFO could be made");
        long start = System.nanoTime();
        assertThatThrownBy(() -> BoundedFiles.open(fifo, 100, true, java.time.Duration.ofMillis(500)))
                .isInstanceOf(BoundedFiles.LimitException.class).hasMessageContaining("a FIFO that no process writes to");
        // a hang detector only (without the bound the open never returns): generous enough for a machine at load 10
        assertThat(System.nanoTime() - start).isLessThan(java.util.concurrent.TimeUnit.MINUTES.toNanos(2));
        // With a writer it is read like a file, within the bound. (A new FIFO: the abandoned opener still waits on the first.)
        Path second = dir.resolve("pipe2");
        assumeTrue(new ProcessBuilder("mkfifo", second.toString()).start().waitFor() == 0);
        Thread writer = new Thread(() -> {
            try {
                Files.writeString(second, "a,b\n1,2\n");
            } catch (IOException ignored) {
                // the reader's assertion reports it
            }
        });
        writer.start();
        // the writer comes whatever the load; the bound only keeps a broken test from hanging
        try (var in = BoundedFiles.open(second, 100, true, java.time.Duration.ofMinutes(5))) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("a,b\n1,2\n");
        }
        writer.join();
    }

    @Test
    void filesAreWrittenWithTheFoldersUsualPermissionsNotOwnerOnly() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path direct = Files.writeString(dir.resolve("direct.txt"), "x"); // as any program creates a file here
        Path atomic = dir.resolve("atomic.txt");
        AtomicFiles.writeString(atomic, "x");
        assertThat(Files.getPosixFilePermissions(atomic)).isEqualTo(Files.getPosixFilePermissions(direct));
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("atomic.txt", "direct.txt");
        }
    }
}
