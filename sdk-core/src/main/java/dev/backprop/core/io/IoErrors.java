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
     * @return at most {@link #EXCERPT} characters of it on one line, marked when cut
     */
    public static String excerpt(String value) {
        if (value == null) {
            return "null";
        }
        String oneLine = value.replaceAll("[\\r\\n\\t]", " ");
        if (oneLine.length() <= EXCERPT) {
            return oneLine;
        }
        return oneLine.substring(0, EXCERPT) + "... (" + value.length() + " characters)";
    }

    /**
     * @param e an I/O failure
     * @return whether it means the file is not there
     */
    public static boolean isMissing(IOException e) {
        return e instanceof NoSuchFileException;
    }
}
