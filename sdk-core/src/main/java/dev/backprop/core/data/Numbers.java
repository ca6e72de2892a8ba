package dev.backprop.core.data;

import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * The one number syntax of data: plain decimals such as {@code 5.1}, {@code -0.25}, {@code .5} and
 * {@code 1e-3}. Java's other forms ({@code 5.1d}, {@code 0x1.6p0}, {@code NaN}, {@code Infinity}) are not
 * numbers in a data file or on the command line, so a CSV cell and an inline {@code --input} agree.
 */
public final class Numbers {
    private static final Pattern PLAIN = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d{1,4})?");

    private Numbers() {
    }

    /**
     * @param text a cell, already trimmed
     * @return whether it is a plain decimal too large for a double (such as {@code 1e999})
     */
    public static boolean isOutOfRange(String text) {
        return text.length() <= 400 && PLAIN.matcher(text).matches() && !Double.isFinite(Double.parseDouble(text));
    }

    /**
     * @param text a cell, already trimmed
     * @return its value, or empty if it is not a plain decimal or not finite
     */
    public static OptionalDouble parse(String text) {
        if (text.length() > 400 || !PLAIN.matcher(text).matches()) {
            return OptionalDouble.empty();
        }
        double value = Double.parseDouble(text);
        return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
    }
}
