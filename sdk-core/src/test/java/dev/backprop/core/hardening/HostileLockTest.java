package dev.backprop.core.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.rundir.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every lock file of {@code src/test/resources/hostile/lock/}, planted as a run directory's
 * {@code .backprop.lock} with no process holding it: one that names another host, or an owner that cannot
 * be read, is refused (BP-504, in a short message, the file left as it was) until the lock is broken
 * deliberately; {@code valid-*} ones (empty: a process killed before it wrote its name) are taken over.
 */
class HostileLockTest {
    private static final Path CORPUS = Path.of("src", "test", "resources", "hostile", "lock");

    @TempDir
    Path dir;

    static Stream<Path> locks() throws IOException {
        return Files.list(CORPUS).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("locks")
    void aLockNamingAnotherHostOrNoReadableOwnerIsNeverTakenOverSilently(Path file) throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        Path lock = run.resolve(RunDirectory.LOCK);
        Files.copy(file, lock);
        byte[] planted = Files.readAllBytes(lock);
        if (!file.getFileName().toString().startsWith("valid-")) {
            assertThatThrownBy(() -> RunDirectory.open(run, RunDirectory.Mode.FRESH))
                    .isInstanceOfSatisfying(BackpropException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUN_DIRECTORY_IN_USE))
                    .hasMessageContaining(run.toString()).hasMessageContaining("--break-lock")
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(1000).doesNotContain("\u0000").doesNotContain("\n"));
            assertThat(Files.readAllBytes(lock)).as("the lock is left as it was").isEqualTo(planted);
        }
        RunDirectory.ForeignLock how = file.getFileName().toString().startsWith("valid-") ? RunDirectory.ForeignLock.REFUSE
                : RunDirectory.ForeignLock.BREAK;
        try (RunDirectory opened = RunDirectory.open(run, RunDirectory.Mode.FRESH, how)) {
            assertThat(lock).content().startsWith("pid " + ProcessHandle.current().pid() + " on host ");
        }
        assertThat(lock).doesNotExist();
    }
}
