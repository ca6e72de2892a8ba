package dev.backprop.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/** Finds where a text file stops being UTF-8, so that an error can say where and what to do instead of "input length = 1". */
public final class Utf8 {
    private Utf8() {
    }

    /**
     * The first byte that is not UTF-8.
     *
     * @param line the 1-based line it is on
     * @param column the 1-based column (in characters) it is at
     * @param offset its offset in bytes from the start of the file
     * @param value the byte
     */
    public record InvalidByte(int line, int column, long offset, int value) {
        /** @return {@code the byte 0xE9 at line 3, column 9 (byte offset 57) is not UTF-8} */
        public String describe() {
            return String.format(Locale.ROOT, "the byte 0x%02X at line %d, column %d (byte offset %d) is not UTF-8", value, line,
                    column, offset);
        }
    }

    /**
     * @param file a text file
     * @param maxBytes the most bytes read
     * @return its first byte that is not UTF-8, or {@code null} if the first {@code maxBytes} are UTF-8 (or
     *     the file cannot be read again, or starts with a UTF-16 or UTF-32 byte-order mark)
     */
    public static InvalidByte firstInvalid(Path file, long maxBytes) {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return firstInvalid(in, maxBytes);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * @param in text, read in chunks (a large file is never held whole)
     * @param maxBytes the most bytes read
     * @return its first byte that is not UTF-8, or {@code null} as for {@link #firstInvalid(Path, long)}
     * @throws IOException if it cannot be read
     */
    static InvalidByte firstInvalid(InputStream in, long maxBytes) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        long consumed = 0; // bytes before bytes.position() 0
        long read = 0;
        boolean first = true;
        int line = 1;
        int column = 1;
        while (true) {
            int n = read >= maxBytes ? -1 : in.read(bytes.array(), bytes.position(),
                    (int) Math.min(bytes.remaining(), maxBytes - read));
            if (n > 0) {
                read += n;
                bytes.position(bytes.position() + n);
            }
            boolean end = n < 0;
            bytes.flip();
            if (first && (bytes.remaining() >= 2 || end)) {
                first = false;
                if (Encodings.byteOrderMark(bytes.array(), bytes.limit()) != null) {
                    return null;
                }
            }
            CoderResult result;
            do {
                result = decoder.decode(bytes, out, end);
                out.flip();
                while (out.hasRemaining()) {
                    char c = out.get();
                    if (c == '\n') {
                        line++;
                        column = 1;
                    } else if (!Character.isLowSurrogate(c)) {
                        column++;
                    }
                }
                out.clear();
                if (result.isError()) {
                    return new InvalidByte(line, column, consumed + bytes.position(), bytes.get(bytes.position()) & 0xFF);
                }
            } while (result.isOverflow());
            if (end) {
                return null;
            }
            consumed += bytes.position();
            bytes.compact();
        }
    }

    /**
     * @param file a text file that failed to decode as UTF-8
     * @param maxBytes the most bytes examined
     * @return {@code "not UTF-8 text: the byte 0xE9 at line 3, column 9 (byte offset 57) is not UTF-8 (written as Latin-1 or
     *     Windows-1252, perhaps); save it as UTF-8, for example with iconv -f latin1 -t utf-8"}, without a place when none is found
     */
    public static String notUtf8(Path file, long maxBytes) {
        InvalidByte bad = firstInvalid(file, maxBytes);
        return "not UTF-8 text" + (bad == null ? "" : ": " + bad.describe()) + " (written as Latin-1 or Windows-1252, perhaps); "
                + "save it as UTF-8, for example with iconv -f latin1 -t utf-8";
    }
}
