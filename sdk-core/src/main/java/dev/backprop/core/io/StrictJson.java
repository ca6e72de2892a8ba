package dev.backprop.core.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads JSON that has exactly one meaning: a key given twice, or anything after the top-level value, is
 * refused with its line and column, in the SDK's words rather than the JSON library's. (Numbers written
 * as strings are refused by the readers' typed checks, which look at the node types.)
 */
public final class StrictJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:field|Object property) '(.*)'", Pattern.DOTALL);

    private StrictJson() {
    }

    /**
     * @param text JSON text
     * @param shownName how to name it in messages
     * @param code the error code for malformed JSON
     * @return the tree
     */
    public static JsonNode parse(String text, String shownName, ErrorCode code) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw translate(e, shownName, code);
        }
    }

    /**
     * @param in a bounded stream ({@link BoundedFiles#open})
     * @param shownName how to name it in messages
     * @param code the error code for malformed JSON
     * @return the tree
     * @throws IOException if reading fails (including {@link BoundedFiles.LimitException})
     */
    public static JsonNode parse(InputStream in, String shownName, ErrorCode code) throws IOException {
        try {
            return MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw translate(e, shownName, code);
        }
    }

    private static BackpropException translate(JsonProcessingException e, String shownName, ErrorCode code) {
        JsonLocation location = e.getLocation();
        String at = location == null || location.getLineNr() < 0 ? "" : ":" + location.getLineNr() + ":" + location.getColumnNr();
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String detail;
        Matcher duplicate = DUPLICATE.matcher(original);
        if (duplicate.find()) {
            detail = "the key '" + IoErrors.excerpt(duplicate.group(1)) + "' appears twice in one object; each key may appear once";
        } else if (original.startsWith("Trailing token")) {
            detail = "unexpected content after the end of the JSON value; a file holds exactly one value";
        } else if (original.startsWith("Unrecognized token '") || original.startsWith("Unexpected character (")) {
            Matcher token = Pattern.compile("(?:token '|character \\(')([^']*)'").matcher(original);
            detail = "not valid JSON: unexpected text" + (token.find() ? " '" + IoErrors.excerpt(token.group(1)) + "'" : "")
                    + "; expected a JSON value (a string, number, array, object, true, false or null) or punctuation";
        } else if (original.startsWith("Non-standard token '")) {
            Matcher token = Pattern.compile("token '([^']*)'").matcher(original);
            detail = (token.find() ? "'" + IoErrors.excerpt(token.group(1)) + "'" : "a value") + " is not a JSON number; numbers "
                    + "are finite decimals such as 0.5 or -2e-3";
        } else if (e instanceof StreamConstraintsException) {
            String lower = original.toLowerCase(java.util.Locale.ROOT);
            detail = lower.contains("number") ? "a number is longer than the reader accepts (1000 digits)"
                    : lower.contains("nesting") || lower.contains("depth") ? "the values are nested more deeply than the reader accepts"
                    : "a value is larger than the reader accepts";
        } else if (original.contains("end-of-input") || original.contains("No content to map")) {
            detail = "not valid JSON: it ends before the value is complete (a truncated or empty file)";
        } else {
            detail = "not valid JSON: " + IoErrors.excerpt(firstSentence(original.replaceAll("\\(for [^)]*\\)", "")
                    .replaceAll("`[a-zA-Z.$]*`", "")));
        }
        return new BackpropException(code, shownName + at + ": " + detail + ".", e);
    }

    private static String firstSentence(String text) {
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }
}
