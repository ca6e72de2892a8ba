package dev.backprop.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.api.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every error code is in the catalogue, with its name and the exit code the command line gives it, and
 * every code is produced and checked by at least one test somewhere in the repository.
 */
class ErrorCatalogueTest {

    private static String allTestSources() throws IOException {
        StringBuilder text = new StringBuilder();
        try (var files = Files.walk(Path.of(".."))) {
            for (Path file : files.filter(p -> p.toString().contains("src" + java.io.File.separator + "test")
                    && p.toString().endsWith(".java") && !p.getFileName().toString().equals("ErrorCatalogueTest.java")).toList()) {
                text.append(Files.readString(file));
            }
        }
        return text.toString();
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeIsProducedByATest(ErrorCode code) throws IOException {
        assertThat(allTestSources()).as("a test that checks for " + code).contains("ErrorCode." + code.name());
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeIsDocumented(ErrorCode code) throws IOException {
        String catalogue = Files.readString(Path.of("..", "docs", "errors.md"));
        assertThat(catalogue).contains("| " + code.id() + " | `" + code.name() + "` | " + (code.isInputError() ? 2 : 1) + " |");
    }
}
