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
        byte[] bytes;
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(maxBytes, Integer.MAX_VALUE - 8));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (bytes.length >= 2 && ((bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF
                || (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE || bytes[0] == 0 && bytes[1] == 0)) {
            return null;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(8192);
        int line = 1;
        int column = 1;
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
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
                return new InvalidByte(line, column, in.position(), bytes[in.position()] & 0xFF);
            }
            if (result.isUnderflow()) {
                return null;
            }
        }
    }
}
