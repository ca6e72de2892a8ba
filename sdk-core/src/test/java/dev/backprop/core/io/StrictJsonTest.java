package dev.backprop.core.io;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JSON reader's errors are in the SDK's words: what is wrong and where, never the library's settings. */
class StrictJsonTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "nan | {\"a\": NaN} | 'NaN' is not a JSON number",
        "infinity | {\"a\": -Infinity} | is not a JSON number",
        "duplicate | {\"a\": 1, \"a\": 2} | the key 'a' appears twice",
        "trailing | {\"a\": 1} {} | unexpected content after the end",
        "truncated | {\"a\": [1, 2 | ends before the value is complete"})
    void malformedJsonIsNamedPlainly(String name, String json, String expected) {
        assertThatThrownBy(() -> StrictJson.parse(json, "m.json", ErrorCode.MODEL_INVALID))
                .isInstanceOf(BackpropException.class).hasMessageContaining(expected).hasMessageStartingWith("[BP-502] m.json")
                .hasMessageNotContaining("Feature").hasMessageNotContaining("`").hasMessageNotContaining("StreamRead");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"number, 1", "nesting, 2"})
    void sizeLimitsAreNamedPlainly(String name, int kind) {
        String json = kind == 1 ? "{\"a\": 1" + "0".repeat(5000) + "}" : "[".repeat(5000) + "]".repeat(5000);
        assertThatThrownBy(() -> StrictJson.parse(json, "m.json", ErrorCode.MODEL_INVALID))
                .isInstanceOf(BackpropException.class).hasMessageContaining("than the reader accepts")
                .hasMessageNotContaining("`").hasMessageNotContaining("StreamRead").hasMessageNotContaining("characters)");
    }
}
