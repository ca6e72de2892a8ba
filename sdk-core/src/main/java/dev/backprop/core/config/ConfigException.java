package dev.backprop.core.config;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;

/**
 * An error in an experiment configuration, located in the file: the message reads
 * {@code file:line:column: key.path: what is wrong, and what is allowed}.
 */
public final class ConfigException extends BackpropException {
    private static final long serialVersionUID = 1L;

    /** The configuration file, or a description such as {@code --set}. */
    private final String file;
    /** The line, from 1, or 0 when unknown. */
    private final int line;
    /** The column, from 1, or 0 when unknown. */
    private final int column;
    /** The dotted key path at fault, or an empty string. */
    private final String keyPath;

    /**
     * @param code the error code
     * @param file the configuration file (as the user named it), or a description such as {@code --set}
     * @param line the 1-based line, or 0 if unknown
     * @param column the 1-based column, or 0 if unknown
     * @param keyPath the key path, for example {@code network.layers[2].activation}; empty for the document
     * @param detail what is wrong and what is allowed
     * @param cause the underlying error, or {@code null}
     */
    public ConfigException(ErrorCode code, String file, int line, int column, String keyPath, String detail, Throwable cause) {
        super(code, location(file, line, column) + (keyPath.isEmpty() ? "" : keyPath + ": ") + shortened(detail), cause);
        this.file = file;
        this.line = line;
        this.column = column;
        this.keyPath = keyPath;
    }

    /** An error echoes at most an excerpt of any one value: a word of more than 100 characters is cut. */
    private static String shortened(String detail) {
        if (detail.length() < 200) {
            return detail;
        }
        String cut = detail.replaceAll("(\\S{100})\\S{20,}", "$1...");
        return cut.length() <= 1000 ? cut : cut.substring(0, 1000) + "...";
    }

    private static String location(String file, int line, int column) {
        if (line <= 0) {
            return file + ": ";
        }
        return file + ":" + line + ":" + column + ": ";
    }

    /** @return the configuration file as named by the user */
    public String file() {
        return file;
    }

    /** @return the 1-based line, or 0 if unknown */
    public int line() {
        return line;
    }

    /** @return the 1-based column, or 0 if unknown */
    public int column() {
        return column;
    }

    /** @return the key path of the offending value, empty for the whole document */
    public String keyPath() {
        return keyPath;
    }

    /**
     * @param file a file whose text is not UTF-8
     * @param shownName how to name it
     * @param cause the decoder's error
     * @return the error, located at the first byte that is not UTF-8, saying what to do
     */
    public static ConfigException notUtf8(java.nio.file.Path file, String shownName, Throwable cause) {
        dev.backprop.core.io.Encodings.ByteOrderMark mark = byteOrderMark(file);
        if (mark != null) {
            return new ConfigException(ErrorCode.CONFIG_INVALID, shownName, 0, 0, "", "the file starts with the byte-order mark of "
                    + mark.encoding() + " (" + mark.byteOrder() + ": " + mark.mark() + ") but is not valid " + mark.encoding()
                    + " text; save it as UTF-8.", cause);
        }
        dev.backprop.core.io.Utf8.InvalidByte bad = dev.backprop.core.io.Utf8.firstInvalid(file, ExperimentSource.MAX_BYTES);
        return new ConfigException(ErrorCode.CONFIG_INVALID, shownName, bad == null ? 0 : bad.line(), bad == null ? 0 : bad.column(), "",
                "the file is not UTF-8 text" + (bad == null ? "" : ": " + bad.describe()) + " (written as Latin-1 or "
                + "Windows-1252, perhaps). Configurations are UTF-8 (or UTF-16/32 with a byte-order mark); save it as UTF-8, "
                + "for example with iconv -f latin1 -t utf-8.", cause);
    }

    /** @return the UTF-16 or UTF-32 byte-order mark the file starts with, or {@code null} (also when it cannot be read) */
    private static dev.backprop.core.io.Encodings.ByteOrderMark byteOrderMark(java.nio.file.Path file) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return dev.backprop.core.io.Encodings.byteOrderMark(head, head.length);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
