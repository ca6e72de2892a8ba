package dev.backprop.api;

/** The value types a plugin parameter can have, and the Java type each is delivered as. */
public enum ParameterType {
    /** A finite real number, delivered as {@code double}; integers are accepted. */
    NUMBER("a number"),
    /** A whole number, delivered as {@code int}. */
    INTEGER("a whole number"),
    /** {@code true} or {@code false}. */
    BOOLEAN("true or false"),
    /** A string. */
    STRING("a string"),
    /** A list of finite numbers, delivered as {@code double[]}. */
    NUMBER_LIST("a list of numbers"),
    /** A list of equally long lists of finite numbers, delivered as {@code double[][]} (rows). */
    NUMBER_MATRIX("a list of rows of numbers");

    private final String description;

    ParameterType(String description) {
        this.description = description;
    }

    /** @return how the type is described in error messages, for example "a number" */
    public String description() {
        return description;
    }
}
