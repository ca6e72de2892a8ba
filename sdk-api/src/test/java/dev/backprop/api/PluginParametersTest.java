package dev.backprop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginParametersTest {

    /** A provider with one parameter of every type. */
    private static final PluginProvider<String> PROVIDER = new PluginProvider<>() {
        @Override
        public String name() {
            return "demo";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(
                    ParameterSpec.number("rate", 0.1, "a rate").positive(),
                    ParameterSpec.integer("steps", 3, "a count").nonNegative(),
                    ParameterSpec.bool("flag", false, "a flag"),
                    ParameterSpec.optional("label", ParameterType.STRING, "a label"),
                    ParameterSpec.optional("list", ParameterType.NUMBER_LIST, "a list"),
                    ParameterSpec.number("decay", 0.5, "a fraction").fraction(),
                    ParameterSpec.required("matrix", ParameterType.NUMBER_MATRIX, "a matrix"));
        }

        @Override
        public String create(PluginParameters parameters) {
            return parameters.toString();
        }
    };

    private static final List<List<Integer>> MATRIX = List.of(List.of(1, 2), List.of(3, 4));

    @Test
    void defaultsAreFilledAndValuesConverted() {
        PluginParameters p = PluginParameters.resolve(PROVIDER, Map.of("matrix", MATRIX, "steps", 7L, "list", List.of(1, 2.5)));
        assertThat(p.getDouble("rate")).isEqualTo(0.1);
        assertThat(p.getInt("steps")).isEqualTo(7);
        assertThat(p.getBoolean("flag")).isFalse();
        assertThat(p.has("label")).isFalse();
        assertThat(p.getDoubleArray("list")).containsExactly(1.0, 2.5);
        assertThat(p.getMatrix("matrix")).isDeepEqualTo(new double[][] {{1, 2}, {3, 4}});
        assertThat(p.asMap()).containsEntry("rate", 0.1).containsEntry("matrix", List.of(List.of(1.0, 2.0), List.of(3.0, 4.0)));
        assertThat(p.pluginName()).isEqualTo("demo");
    }

    @Test
    void returnedArraysAreCopies() {
        PluginParameters p = PluginParameters.resolve(PROVIDER, Map.of("matrix", MATRIX));
        p.getMatrix("matrix")[0][0] = 99;
        assertThat(p.getMatrix("matrix")[0][0]).isEqualTo(1.0);
    }

    @Test
    void unknownParameterNamesThePluginAndTheAllowedOnes() {
        assertThatThrownBy(() -> PluginParameters.resolve(PROVIDER, Map.of("matrix", MATRIX, "rat", 1)))
                .isInstanceOfSatisfying(PluginParameterException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PARAMETER_UNKNOWN);
                    assertThat(e.pluginName()).isEqualTo("demo");
                    assertThat(e.parameterName()).isEqualTo("rat");
                })
                .hasMessage("[BP-111] Unknown parameter 'rat' for plugin 'demo'; allowed: rate, steps, flag, label, list, decay, matrix.");
    }

    @Test
    void missingRequiredParameter() {
        assertThatThrownBy(() -> PluginParameters.resolve(PROVIDER, Map.of()))
                .isInstanceOfSatisfying(PluginParameterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PARAMETER_MISSING))
                .hasMessage("[BP-112] Plugin 'demo' requires parameter 'matrix' (a list of rows of numbers).");
    }

    @Test
    void wrongTypesAndRangesAreRefusedWithTheValue() {
        assertThatThrownBy(() -> resolve("rate", "fast")).hasMessage(
                "[BP-113] Parameter 'rate' of plugin 'demo' must be a number (finite), got 'fast'.");
        assertThatThrownBy(() -> resolve("rate", 0)).hasMessage(
                "[BP-113] Parameter 'rate' of plugin 'demo' must be a value > 0, got 0.0.");
        assertThatThrownBy(() -> resolve("rate", Double.NaN)).hasMessageContaining("got NaN");
        assertThatThrownBy(() -> resolve("steps", 2.5)).hasMessageContaining("'steps'").hasMessageContaining("a whole number");
        assertThatThrownBy(() -> resolve("steps", -1)).hasMessageContaining("a value >= 0, got -1.0");
        assertThatThrownBy(() -> resolve("flag", "yes")).hasMessageContaining("true or false, got 'yes'");
        assertThatThrownBy(() -> resolve("decay", 1.0)).hasMessageContaining("a value in [0, 1), got 1.0");
        assertThatThrownBy(() -> resolve("list", List.of(1, "x"))).hasMessageContaining("got 'x' (at [1])");
        assertThatThrownBy(() -> PluginParameters.resolve(PROVIDER, Map.of("matrix", List.of(List.of(1, 2), List.of(3)))))
                .hasMessageContaining("rows of equal length: row 0 has 2 values, row 1 has 1");
    }

    @Test
    void pluginWithoutParametersSaysSo() {
        PluginProvider<String> none = new PluginProvider<>() {
            @Override
            public String name() {
                return "plain";
            }

            @Override
            public String create(PluginParameters parameters) {
                return "ok";
            }
        };
        assertThat(none.create(Map.of())).isEqualTo("ok");
        assertThatThrownBy(() -> none.create(Map.of("x", 1))).hasMessageContaining("it takes no parameters");
    }

    private static PluginParameters resolve(String key, Object value) {
        return PluginParameters.resolve(PROVIDER, Map.of("matrix", MATRIX, key, value));
    }
}
