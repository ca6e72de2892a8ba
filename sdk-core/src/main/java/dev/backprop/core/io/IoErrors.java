package dev.backprop.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Locale;

/**
 * Turns I/O failures into the operating system's reason in plain words ({@code permission denied},
 * {@code not a directory}, {@code no space left on device}) and keeps echoed values short.
 */
public final class IoErrors {
    /** The most characters of a file's content or of a value that an error message echoes. */
    public static final int EXCERPT = 80;

    private IoErrors() {
    }

    /**
     * @param e an I/O failure
     * @return the reason in lower-case words, without the path (the caller names the file)
     */
    public static String reason(Throwable e) {
        Throwable cause = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        if (cause instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (cause instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (cause instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (cause instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (cause instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (cause instanceof FileSystemLoopException) {
            return "a loop of symbolic links";
        }
        if (cause instanceof NotLinkException) {
            return "not a symbolic link";
        }
        if (cause instanceof FileSystemException fs && fs.getReason() != null) {
            return lower(fs.getReason());
        }
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            return cause.getClass().getSimpleName();
        }
        // Stream failures carry "No space left on device" and the like as their whole message.
        return lower(excerpt(message));
    }

    private static String lower(String reason) {
        return reason.isEmpty() ? reason : reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
    }

    /**
     * @param value any text from a file or the command line
     * @return at most {@link #EXCERPT} characters of it on one line ({@link #escape escaped}), marked when cut
     */
    public static String excerpt(String value) {
        if (value == null) {
            return "null";
        }
        String cut = value.length() <= EXCERPT ? value : value.substring(0, EXCERPT);
        String oneLine = escape(cut);
        return cut.length() == value.length() ? oneLine : oneLine + "... (" + value.length() + " characters)";
    }

    /**
     * Errors are one line, so a value they echo shows its control characters as escapes: a line break as
     * {@code \n}, {@code \r} and a tab as {@code \t}, any other (and the Unicode line and paragraph
     * separators) as {@code \}{@code u000b}.
     *
     * @param value any text
     * @return the text with its control characters escaped
     */
    public static String escape(String value) {
        StringBuilder text = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (control && text == null) {
                text = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (text == null) {
                continue;
            }
            switch (c) {
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> text.append(control ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return text == null ? value : text.toString();
    }

    /**
     * @param e an I/O failure
     * @return whether it means the file is not there
     */
    public static boolean isMissing(IOException e) {
        return e instanceof NoSuchFileException;
    }
}
