package dev.backprop.api;

import java.util.Objects;

/**
 * Declares one parameter of a plugin: its name, type, default and allowed range. Create instances
 * with the static factories, for example {@code ParameterSpec.number("learning-rate", 0.01,
 * "step size").positive()}.
 *
 * @param name the kebab-case parameter name
 * @param type the value type
 * @param defaultValue the default, or {@code null} if there is none
 * @param required whether a value must be given (only meaningful without a default)
 * @param constraint the allowed range for numbers
 * @param description a one-line description for listings and documentation
 */
public record ParameterSpec(
        String name, ParameterType type, Object defaultValue, boolean required, Constraint constraint,
        String description) {

    /** Ranges that numeric parameters can be restricted to. */
    public enum Constraint {
        /** Any finite value. */
        ANY("any finite value"),
        /** Strictly greater than zero. */
        POSITIVE("a value > 0"),
        /** Zero or greater. */
        NON_NEGATIVE("a value >= 0"),
        /** In the half-open interval [0, 1). */
        FRACTION("a value in [0, 1)");

        private final String description;

        Constraint(String description) {
            this.description = description;
        }

        /** @return how the range is described in error messages */
        public String description() {
            return description;
        }

        /**
         * @param value a finite number
         * @return whether {@code value} lies in this range
         */
        public boolean accepts(double value) {
            return switch (this) {
                case ANY -> true;
                case POSITIVE -> value > 0;
                case NON_NEGATIVE -> value >= 0;
                case FRACTION -> value >= 0 && value < 1;
            };
        }
    }

    /**
     * Checks the components.
     *
     * @param name the kebab-case parameter name
     * @param type the value type
     * @param defaultValue the default, or {@code null} if there is none
     * @param required whether a value must be given (only meaningful without a default)
     * @param constraint the allowed range for numbers
     * @param description a one-line description for listings and documentation
     */
    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(constraint, "constraint");
        description = description == null ? "" : description;
    }

    /**
     * @param name the parameter name
     * @param defaultValue the default
     * @param description a one-line description
     * @return an optional number parameter with a default
     */
    public static ParameterSpec number(String name, double defaultValue, String description) {
        return new ParameterSpec(name, ParameterType.NUMBER, defaultValue, false, Constraint.ANY, description);
    }

    /**
     * @param name the parameter name
     * @param defaultValue the default
     * @param description a one-line description
     * @return an optional whole-number parameter with a default
     */
    public static ParameterSpec integer(String name, int defaultValue, String description) {
        return new ParameterSpec(name, ParameterType.INTEGER, defaultValue, false, Constraint.ANY, description);
    }

    /**
     * @param name the parameter name
     * @param defaultValue the default
     * @param description a one-line description
     * @return an optional boolean parameter with a default
     */
    public static ParameterSpec bool(String name, boolean defaultValue, String description) {
        return new ParameterSpec(name, ParameterType.BOOLEAN, defaultValue, false, Constraint.ANY, description);
    }

    /**
     * @param name the parameter name
     * @param type the value type
     * @param description a one-line description
     * @return a parameter without default that must be given
     */
    public static ParameterSpec required(String name, ParameterType type, String description) {
        return new ParameterSpec(name, type, null, true, Constraint.ANY, description);
    }

    /**
     * @param name the parameter name
     * @param type the value type
     * @param description a one-line description
     * @return a parameter without default that may be left out
     */
    public static ParameterSpec optional(String name, ParameterType type, String description) {
        return new ParameterSpec(name, type, null, false, Constraint.ANY, description);
    }

    /** @return this spec restricted to values &gt; 0 */
    public ParameterSpec positive() {
        return withConstraint(Constraint.POSITIVE);
    }

    /** @return this spec restricted to values &gt;= 0 */
    public ParameterSpec nonNegative() {
        return withConstraint(Constraint.NON_NEGATIVE);
    }

    /** @return this spec restricted to values in [0, 1) */
    public ParameterSpec fraction() {
        return withConstraint(Constraint.FRACTION);
    }

    private ParameterSpec withConstraint(Constraint newConstraint) {
        return new ParameterSpec(name, type, defaultValue, required, newConstraint, description);
    }
}
