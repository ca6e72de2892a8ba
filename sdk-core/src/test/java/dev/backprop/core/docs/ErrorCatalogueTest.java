package dev.backprop.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.api.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every error code is in the catalogue, with its name and the exit code the command line gives it. */
class ErrorCatalogueTest {

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeIsDocumented(ErrorCode code) throws IOException {
        String catalogue = Files.readString(Path.of("..", "docs", "errors.md"));
        assertThat(catalogue).contains("| " + code.id() + " | `" + code.name() + "` | " + (code.isInputError() ? 2 : 1) + " |");
    }
}
