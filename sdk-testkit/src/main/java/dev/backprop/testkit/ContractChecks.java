package dev.backprop.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.backprop.api.ParameterSpec;
import dev.backprop.api.PluginProvider;
import java.util.regex.Pattern;

/** Checks shared by every contract: the provider's name and declared parameters. */
final class ContractChecks {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private ContractChecks() {
    }

    static void checkProvider(PluginProvider<?> provider) {
        String name = provider.name();
        assertTrue(name != null && NAME.matcher(name).matches(),
                () -> provider.getClass().getName() + ".name() must be lower-case kebab-case, got '" + name + "'");
        if (provider.description() == null) {
            fail(provider.getClass().getName() + ".description() must not return null");
        }
        for (ParameterSpec spec : provider.parameters()) {
            assertTrue(NAME.matcher(spec.name()).matches(),
                    () -> "parameter names must be kebab-case, got '" + spec.name() + "' in " + name);
            if (spec.required() && spec.defaultValue() != null) {
                fail("parameter '" + spec.name() + "' of " + name + " is required but also has a default");
            }
        }
    }

    /** Relative closeness with an absolute floor, as used by every finite-difference check here. */
    static void assertClose(double expected, double actual, double tolerance, String what) {
        double scale = Math.max(1.0, Math.max(Math.abs(expected), Math.abs(actual)));
        if (!(Math.abs(expected - actual) <= tolerance * scale)) {
            fail(what + ": expected " + expected + " but got " + actual + " (tolerance " + tolerance + ")");
        }
    }

    static void assertFinite(double[] values, int count, String what) {
        for (int i = 0; i < count; i++) {
            if (!Double.isFinite(values[i])) {
                fail(what + " [" + i + "] is " + values[i]);
            }
        }
    }
}
