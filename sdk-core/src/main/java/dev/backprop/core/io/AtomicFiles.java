package dev.backprop.core.io;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader never sees half of one: the content goes to a temporary file in the
 * same folder, which is then moved over the target in one step.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * @param file the target
     * @param content the complete content, UTF-8
     * @throws BackpropException ({@link ErrorCode#OUTPUT_FAILED}) if it cannot be written; the target is
     *     then unchanged
     */
    public static void writeString(Path file, String content) {
        writeBytes(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param file the target
     * @param content the complete content
     * @throws BackpropException ({@link ErrorCode#OUTPUT_FAILED}) if it cannot be written; the target is
     *     then unchanged
     */
    public static void writeBytes(Path file, byte[] content) {
        Path target = file.toAbsolutePath();
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = temporaryFor(target, ".tmp");
            Files.write(temp, content);
            move(temp, target);
        } catch (IOException e) {
            throw new BackpropException(ErrorCode.OUTPUT_FAILED, file + ": could not be written: " + IoErrors.reason(e) + ".", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The move succeeded or the error above is the one worth reporting.
                }
            }
        }
    }

    /**
     * Creates an empty temporary file beside a target: {@code .NAME<digits>SUFFIX}, with the permissions a
     * new file gets in that folder (the umask applies, as for the target written directly; never through a link).
     *
     * @param target the file it will replace
     * @param suffix {@code .tmp}, or {@code .png} for a library that needs the extension
     * @return the new, empty file
     * @throws IOException if it cannot be created
     */
    public static Path temporaryFor(Path target, String suffix) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        for (int attempt = 0; ; attempt++) {
            Path temp = folder.resolve("." + target.getFileName() + Long.toUnsignedString(RANDOM.nextLong()) + suffix);
            try {
                return Files.createFile(temp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    private static final java.util.Random RANDOM = new java.security.SecureRandom();

    /**
     * Moves a finished temporary file over its target in one step where the file system can (a symbolic
     * link at the target is replaced, never followed).
     *
     * @param temp the temporary file, in the target's folder
     * @param target the target
     * @throws IOException if the move fails
     */
    public static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Removes a folder and everything in it, if it exists: what an earlier, failed attempt of the same
     * task left behind. Symbolic links are removed, never followed.
     *
     * @param folder the folder
     * @throws BackpropException ({@link ErrorCode#OUTPUT_FAILED}) if something cannot be removed
     */
    public static void deleteTree(Path folder) {
        if (!Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BackpropException(ErrorCode.OUTPUT_FAILED, folder + ": could not be removed: " + IoErrors.reason(e) + ".", e);
        }
    }
}
