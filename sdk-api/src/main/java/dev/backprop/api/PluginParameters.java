package dev.backprop.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The validated parameters handed to {@link PluginProvider#create(PluginParameters)}: every declared
 * parameter that was given or has a default, converted to its declared type. Immutable; array values
 * are copied on the way in and on the way out.
 */
public final class PluginParameters {
    private final String pluginName;
    private final Map<String, Object> values;

    private PluginParameters(String pluginName, Map<String, Object> values) {
        this.pluginName = pluginName;
        this.values = values;
    }

    /**
     * Checks raw values against a provider's declared parameters, fills in defaults and converts each
     * value to its declared type.
     *
     * @param provider the plugin the parameters are for
     * @param raw parameter values by name: {@link Number}, {@link Boolean}, {@link String},
     *     {@code double[]}, {@code double[][]} or {@link List}s of numbers / lists of numbers
     * @return the validated parameters
     * @throws PluginParameterException if a parameter is unknown, a required one is missing, or a value
     *     has the wrong type or lies outside its range; the message names the plugin and parameter
     */
    public static PluginParameters resolve(PluginProvider<?> provider, Map<String, ?> raw) {
        Objects.requireNonNull(provider, "provider");
        Map<String, ?> given = raw == null ? Map.of() : raw;
        String plugin = provider.name();
        List<ParameterSpec> specs = provider.parameters();
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        for (ParameterSpec spec : specs) {
            byName.put(spec.name(), spec);
        }
        for (String key : given.keySet()) {
            if (!byName.containsKey(key)) {
                String allowed = byName.isEmpty() ? "it takes no parameters" : "allowed: " + String.join(", ", byName.keySet());
                throw new PluginParameterException(ErrorCode.PARAMETER_UNKNOWN, plugin, key,
                        "Unknown parameter '" + key + "' for plugin '" + plugin + "'; " + allowed + ".");
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParameterSpec spec : specs) {
            Object value = given.get(spec.name());
            if (value == null) {
                if (spec.defaultValue() != null) {
                    values.put(spec.name(), convert(plugin, spec, spec.defaultValue()));
                } else if (spec.required()) {
                    throw new PluginParameterException(ErrorCode.PARAMETER_MISSING, plugin, spec.name(),
                            "Plugin '" + plugin + "' requires parameter '" + spec.name() + "' ("
                                    + spec.type().description() + ").");
                }
            } else {
                values.put(spec.name(), convert(plugin, spec, value));
            }
        }
        return new PluginParameters(plugin, Collections.unmodifiableMap(values));
    }

    /**
     * @param pluginName the plugin the parameters are for
     * @return an empty parameter set, for plugins that take no parameters
     */
    public static PluginParameters none(String pluginName) {
        return new PluginParameters(pluginName, Map.of());
    }

    /** @return the name of the plugin these parameters belong to */
    public String pluginName() {
        return pluginName;
    }

    /**
     * @param name a parameter name
     * @return whether a value (given or default) is present
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * @param name a {@link ParameterType#NUMBER} parameter
     * @return its value
     */
    public double getDouble(String name) {
        return get(name, Double.class);
    }

    /**
     * @param name an {@link ParameterType#INTEGER} parameter
     * @return its value
     */
    public int getInt(String name) {
        return get(name, Integer.class);
    }

    /**
     * @param name a {@link ParameterType#BOOLEAN} parameter
     * @return its value
     */
    public boolean getBoolean(String name) {
        return get(name, Boolean.class);
    }

    /**
     * @param name a {@link ParameterType#STRING} parameter
     * @return its value
     */
    public String getString(String name) {
        return get(name, String.class);
    }

    /**
     * @param name a {@link ParameterType#NUMBER_LIST} parameter
     * @return a copy of its value
     */
    public double[] getDoubleArray(String name) {
        return get(name, double[].class).clone();
    }

    /**
     * @param name a {@link ParameterType#NUMBER_MATRIX} parameter
     * @return a deep copy of its value, one array per row
     */
    public double[][] getMatrix(String name) {
        double[][] rows = get(name, double[][].class);
        double[][] copy = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            copy[r] = rows[r].clone();
        }
        return copy;
    }

    /**
     * @return the values as plain Java objects ({@code Double}, {@code Integer}, {@code Boolean},
     *     {@code String}, {@code List<Double>}, {@code List<List<Double>>}), in declaration order, for
     *     writing a resolved configuration back out
     */
    public Map<String, Object> asMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, toPlain(v)));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return pluginName + asMap();
    }

    private <T> T get(String name, Class<T> type) {
        Object value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("Plugin '" + pluginName + "' has no value for parameter '" + name + "'");
        }
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException("Parameter '" + name + "' of plugin '" + pluginName + "' is a "
                    + value.getClass().getSimpleName() + ", not a " + type.getSimpleName());
        }
        return type.cast(value);
    }

    private static Object toPlain(Object v) {
        if (v instanceof double[] list) {
            List<Double> out = new ArrayList<>(list.length);
            for (double d : list) {
                out.add(d);
            }
            return Collections.unmodifiableList(out);
        }
        if (v instanceof double[][] rows) {
            List<Object> out = new ArrayList<>(rows.length);
            for (double[] row : rows) {
                out.add(toPlain(row));
            }
            return Collections.unmodifiableList(out);
        }
        return v;
    }

    private static Object convert(String plugin, ParameterSpec spec, Object value) {
        return switch (spec.type()) {
            case NUMBER -> checkRange(plugin, spec, number(plugin, spec, value, ""));
            case INTEGER -> integer(plugin, spec, value);
            case BOOLEAN -> {
                if (!(value instanceof Boolean b)) {
                    throw invalid(plugin, spec, value, "");
                }
                yield b;
            }
            case STRING -> {
                if (!(value instanceof String s)) {
                    throw invalid(plugin, spec, value, "");
                }
                yield s;
            }
            case NUMBER_LIST -> numberList(plugin, spec, value, "");
            case NUMBER_MATRIX -> matrix(plugin, spec, value);
        };
    }

    private static Double checkRange(String plugin, ParameterSpec spec, double v) {
        if (!spec.constraint().accepts(v)) {
            throw new PluginParameterException(ErrorCode.PARAMETER_INVALID, plugin, spec.name(),
                    "Parameter '" + spec.name() + "' of plugin '" + plugin + "' must be "
                            + spec.constraint().description() + ", got " + v + ".");
        }
        return v;
    }

    private static Integer integer(String plugin, ParameterSpec spec, Object value) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                checkRange(plugin, spec, d);
                return (int) d;
            }
        }
        throw invalid(plugin, spec, value, "");
    }

    private static double number(String plugin, ParameterSpec spec, Object value, String where) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isFinite(d)) {
                return d;
            }
        }
        throw invalid(plugin, spec, value, where);
    }

    private static double[] numberList(String plugin, ParameterSpec spec, Object value, String where) {
        if (value instanceof double[] array) {
            for (int i = 0; i < array.length; i++) {
                number(plugin, spec, array[i], where + "[" + i + "]");
            }
            return array.clone();
        }
        if (value instanceof List<?> list) {
            double[] out = new double[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = number(plugin, spec, list.get(i), where + "[" + i + "]");
            }
            return out;
        }
        throw invalid(plugin, spec, value, where);
    }

    private static double[][] matrix(String plugin, ParameterSpec spec, Object value) {
        List<?> rows;
        if (value instanceof double[][] array) {
            rows = List.of((Object[]) array);
        } else if (value instanceof List<?> list) {
            rows = list;
        } else {
            throw invalid(plugin, spec, value, "");
        }
        double[][] out = new double[rows.size()][];
        for (int r = 0; r < out.length; r++) {
            out[r] = numberList(plugin, spec, rows.get(r), "[" + r + "]");
            if (out[r].length != out[0].length) {
                throw new PluginParameterException(ErrorCode.PARAMETER_INVALID, plugin, spec.name(),
                        "Parameter '" + spec.name() + "' of plugin '" + plugin + "' must have rows of equal length: row 0 has "
                                + out[0].length + " values, row " + r + " has " + out[r].length + ".");
            }
        }
        return out;
    }

    private static PluginParameterException invalid(String plugin, ParameterSpec spec, Object value, String where) {
        String shown = value instanceof String ? "'" + value + "'" : String.valueOf(value);
        String element = where.isEmpty() ? "" : " (at " + where + ")";
        return new PluginParameterException(ErrorCode.PARAMETER_INVALID, plugin, spec.name(),
                "Parameter '" + spec.name() + "' of plugin '" + plugin + "' must be " + spec.type().description()
                        + (spec.type() == ParameterType.NUMBER || spec.type() == ParameterType.NUMBER_LIST
                                || spec.type() == ParameterType.NUMBER_MATRIX ? " (finite)" : "")
                        + ", got " + shown + element + ".");
    }
}
