package dev.backprop.core.io;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads input files with a byte bound, so that a device ({@code /dev/zero}), a FIFO or an endless
 * pipe is refused with a clear error instead of filling the memory. Text files are also refused at
 * their first NUL byte: no text format the SDK reads contains one, and binary input is found at once.
 */
public final class BoundedFiles {
    private BoundedFiles() {
    }

    /** Thrown by the streams of this class; callers turn it into their own error with the file's name. */
    public static final class LimitException extends IOException {
        private static final long serialVersionUID = 1L;

        LimitException(String message) {
            super(message);
        }
    }

    /**
     * @param file a file, FIFO or device
     * @param maxBytes the most bytes read before the stream fails
     * @param text whether a NUL byte ends the read with an error
     * @return a stream that throws {@link LimitException} past the bound (and at a NUL byte for text)
     * @throws IOException if it cannot be opened
     */
    public static InputStream open(Path file, long maxBytes, boolean text) throws IOException {
        return open(file, maxBytes, text, FIFO_WAIT);
    }

    /**
     * Like {@link #open(Path, long, boolean) open(file, maxBytes, true)}, for text that may also be UTF-16 or UTF-32
     * after its byte-order mark: NUL bytes are refused only in text without such a mark (in UTF-16 and UTF-32 they
     * are parts of characters; a NUL character is then the reader's to refuse).
     *
     * @param file a file, FIFO or device
     * @param maxBytes the most bytes read before the stream fails
     * @return a stream that throws {@link LimitException} past the bound, and at a NUL byte in text without a mark
     * @throws IOException if it cannot be opened
     */
    public static InputStream openUnicodeText(Path file, long maxBytes) throws IOException {
        InputStream in = open(file, maxBytes, true);
        ((Bounded) in).markedUnicode = true;
        return in;
    }

    /** How long opening a FIFO waits for a process that writes to it. */
    public static final java.time.Duration FIFO_WAIT = java.time.Duration.ofSeconds(10);

    /**
     * @param file a file, FIFO or device
     * @param maxBytes the most bytes read before the stream fails
     * @param text whether a NUL byte ends the read with an error
     * @param fifoWait how long to wait for a writer when {@code file} is a FIFO (opening one blocks until a
     *     process writes to it: without a writer it is refused instead of hanging)
     * @return a stream that throws {@link LimitException} past the bound (and at a NUL byte for text)
     * @throws IOException if it cannot be opened
     */
    public static InputStream open(Path file, long maxBytes, boolean text, java.time.Duration fifoWait) throws IOException {
        if (Files.isDirectory(file)) {
            throw new java.nio.file.FileSystemException(file.toString(), null, "is a directory");
        }
        if (!isFifo(file)) {
            return new Bounded(Files.newInputStream(file), maxBytes, text);
        }
        java.util.concurrent.CompletableFuture<InputStream> opening = new java.util.concurrent.CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                InputStream in = Files.newInputStream(file);
                if (!opening.complete(in)) {
                    in.close(); // opened after the caller gave up
                }
            } catch (IOException | RuntimeException e) {
                opening.completeExceptionally(e);
            }
        }, "backprop-fifo-open");
        opener.setDaemon(true);
        opener.start();
        try {
            return new Bounded(opening.get(fifoWait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS), maxBytes, text);
        } catch (java.util.concurrent.TimeoutException e) {
            opening.cancel(false);
            throw new LimitException("a FIFO that no process writes to (waited " + fifoWait.toSeconds() + " s); start the "
                    + "process that writes to it first");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while opening " + file);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** @return whether the file is a named pipe (read through the "unix" attribute view where there is one) */
    private static boolean isFifo(Path file) {
        try {
            Object mode = Files.getAttribute(file, "unix:mode");
            return mode instanceof Integer m && (m & 0170000) == 0010000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Reads a whole text file as UTF-8 within a bound.
     *
     * @param file the file
     * @param shownName how to name it in messages
     * @param maxBytes the most bytes read
     * @param code the error code for a file that is too large, binary or not UTF-8
     * @return its text
     * @throws BackpropException ({@link ErrorCode#IO_FAILED} when it cannot be read, {@code code} when it is not
     *     acceptable text)
     */
    public static String readText(Path file, String shownName, long maxBytes, ErrorCode code) {
        byte[] bytes;
        try (InputStream in = open(file, maxBytes, true)) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            bytes = buffer.toByteArray();
        } catch (LimitException e) {
            throw new BackpropException(code, shownName + ": " + e.getMessage() + ".", e);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BackpropException(ErrorCode.IO_FAILED, shownName + ": could not be read: " + IoErrors.reason(e) + ".", e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BackpropException(code, shownName + ": " + Utf8.notUtf8(file, maxBytes) + ".", e);
        }
    }

    private static final class Bounded extends FilterInputStream {
        private final long max;
        private final boolean text;
        private long count;
        /** The first bytes read, to recognise a UTF-16 or UTF-32 byte-order mark when a NUL byte is found. */
        private final byte[] head = new byte[4];
        /** Whether text after a UTF-16 or UTF-32 byte-order mark is allowed, NUL bytes and all. */
        boolean markedUnicode;
        private boolean nulAllowed;

        Bounded(InputStream in, long max, boolean text) {
            super(in);
            this.max = max;
            this.text = text;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                check(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, (int) Math.min(length, Math.max(1, max + 1 - count)));
            if (n > 0) {
                check(buffer, offset, n);
            }
            return n;
        }

        private void check(byte[] buffer, int offset, int n) throws IOException {
            if (text && !nulAllowed) {
                for (int i = offset; i < offset + n && count + i - offset < head.length; i++) {
                    head[(int) (count + i - offset)] = buffer[i];
                }
                for (int i = offset; i < offset + n; i++) {
                    if (buffer[i] == 0) {
                        Encodings.ByteOrderMark mark = Encodings.byteOrderMark(head, (int) Math.min(head.length, count + n));
                        if (mark != null && markedUnicode) {
                            nulAllowed = true;
                            break;
                        }
                        if (mark != null) {
                            throw new LimitException(mark.describe());
                        }
                        String utf16 = count == 0 ? Encodings.utf16WithoutMark(buffer, offset, n) : null;
                        if (utf16 != null) {
                            throw new LimitException(utf16);
                        }
                        throw new LimitException("binary content, not text (a NUL byte at byte " + (count + i - offset + 1)
                                + "); is it a device or a binary file");
                    }
                }
            }
            count += n;
            if (count > max) {
                throw new LimitException("more than " + max + " bytes; the limit for this kind of file is " + max
                        + " bytes (an endless input such as a device or a pipe is refused)");
            }
        }

        @Override
        public long skip(long n) throws IOException {
            return super.skip(n);
        }
    }
}
