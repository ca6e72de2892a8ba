package dev.backprop.core.io;

import java.io.IOException;

/** Recognises text saved in an encoding other than UTF-8 by its byte-order mark, so that an error can name it. */
public final class Encodings {
    private Encodings() {
    }

    /**
     * A byte-order mark of UTF-16 or UTF-32.
     *
     * @param encoding {@code UTF-16} or {@code UTF-32}
     * @param byteOrder {@code little-endian} or {@code big-endian}
     * @param mark the mark's bytes in hexadecimal, such as {@code FF FE}
     */
    public record ByteOrderMark(String encoding, String byteOrder, String mark) {
        /**
         * @return {@code UTF-16 text (little-endian: it starts with the byte-order mark FF FE), not UTF-8; save it as UTF-8,
         *     for example with iconv -f utf-16 -t utf-8}
         */
        public String describe() {
            return encoding + " text (" + byteOrder + ": it starts with the byte-order mark " + mark + "), not UTF-8; save it as "
                    + "UTF-8, for example with iconv -f " + encoding.toLowerCase(java.util.Locale.ROOT) + " -t utf-8";
        }

        /** @return the charset of the text after the mark, such as {@code UTF-16LE} */
        public java.nio.charset.Charset charset() {
            return java.nio.charset.Charset.forName(encoding + (byteOrder.startsWith("little") ? "LE" : "BE"));
        }

        /** @return how many bytes the mark has */
        public int length() {
            return mark.split(" ").length;
        }
    }

    /**
     * @param head the first bytes of a file
     * @param length how many of them there are
     * @return the UTF-16 or UTF-32 byte-order mark they start with, or {@code null}
     */
    public static ByteOrderMark byteOrderMark(byte[] head, int length) {
        int b0 = length > 0 ? head[0] & 0xFF : -1;
        int b1 = length > 1 ? head[1] & 0xFF : -1;
        int b2 = length > 2 ? head[2] & 0xFF : -1;
        int b3 = length > 3 ? head[3] & 0xFF : -1;
        if (b0 == 0xFF && b1 == 0xFE && b2 == 0 && b3 == 0) {
            return new ByteOrderMark("UTF-32", "little-endian", "FF FE 00 00");
        }
        if (b0 == 0 && b1 == 0 && b2 == 0xFE && b3 == 0xFF) {
            return new ByteOrderMark("UTF-32", "big-endian", "00 00 FE FF");
        }
        if (b0 == 0xFF && b1 == 0xFE) {
            return new ByteOrderMark("UTF-16", "little-endian", "FF FE");
        }
        if (b0 == 0xFE && b1 == 0xFF) {
            return new ByteOrderMark("UTF-16", "big-endian", "FE FF");
        }
        return null;
    }

    /**
     * A reader of text that is UTF-8, or UTF-16 or UTF-32 after its byte-order mark. The mark (UTF-8's too) is
     * dropped; bytes that are not valid in the encoding fail the read with a {@link java.nio.charset.CharacterCodingException}
     * instead of being replaced.
     *
     * @param in the bytes
     * @return the characters
     * @throws IOException if the first bytes cannot be read
     */
    public static java.io.Reader unicodeReader(java.io.InputStream in) throws IOException {
        java.io.BufferedInputStream buffered = new java.io.BufferedInputStream(in);
        buffered.mark(4);
        byte[] head = buffered.readNBytes(4);
        buffered.reset();
        ByteOrderMark mark = byteOrderMark(head, head.length);
        java.nio.charset.Charset charset = mark == null ? java.nio.charset.StandardCharsets.UTF_8 : mark.charset();
        boolean utf8Mark = head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF;
        buffered.skipNBytes(mark != null ? mark.length() : utf8Mark ? 3 : 0);
        return new java.io.InputStreamReader(buffered, charset.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT));
    }

    /**
     * Text of ASCII characters saved as UTF-16 without a byte-order mark has a NUL byte beside every character.
     *
     * @param bytes the first bytes of a file
     * @param offset where they start
     * @param length how many there are
     * @return {@code UTF-16 text without a byte-order mark (little-endian: every other byte is 0), not UTF-8; ...} when at
     *     least the first 4 and at most 64 bytes follow that pattern, else {@code null}
     */
    public static String utf16WithoutMark(byte[] bytes, int offset, int length) {
        int n = Math.min(64, length) & ~1;
        if (n < 4) {
            return null;
        }
        boolean little = true;
        boolean big = true;
        for (int i = 0; i < n; i += 2) {
            byte even = bytes[offset + i];
            byte odd = bytes[offset + i + 1];
            little &= even != 0 && odd == 0;
            big &= even == 0 && odd != 0;
        }
        if (!little && !big) {
            return null;
        }
        String order = little ? "le" : "be";
        return "UTF-16 text without a byte-order mark (" + (little ? "little" : "big") + "-endian: every other byte is 0), not UTF-8; "
                + "save it as UTF-8, for example with iconv -f utf-16" + order + " -t utf-8";
    }
}
