package dev.backprop.core.config.yaml;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Resolves plain scalars as YAML 1.2's core schema does, where it and YAML 1.1 (SnakeYAML's default)
 * agree: {@code true}/{@code false}, {@code null}/{@code ~}, decimal whole numbers without a leading zero,
 * and decimal floats ({@code .5}, {@code 1e3}, {@code 1E-3}, {@code .inf}, {@code .nan}). Everything else
 * is a string here: {@code 010}, {@code 0o10}, {@code 0x1F}, {@code 0b1}, {@code 1_000}, {@code 1:30},
 * {@code yes}, {@code off}, dates. Where a number or a boolean is expected, {@link Yaml11Lookalikes}
 * refuses those that YAML 1.1 and 1.2 read differently, so a value never means what its writer did not.
 */
final class Yaml12Resolver extends Resolver {
    static final Pattern BOOLEAN = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
    static final Pattern INTEGER = Pattern.compile("^[-+]?(?:0|[1-9][0-9]*)$");
    static final Pattern FLOAT = Pattern.compile("^(?![-+]?[0-9]+$)[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"
            + "|^[-+]?\\.(?:inf|Inf|INF)$|^\\.(?:nan|NaN|NAN)$");

    @Override
    protected void addImplicitResolvers() {
        addImplicitResolver(Tag.BOOL, BOOLEAN, "tTfF", 10);
        addImplicitResolver(Tag.INT, INTEGER, "-+0123456789");
        addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
        addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
        addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
        addImplicitResolver(Tag.NULL, EMPTY, null, 10);
        addImplicitResolver(Tag.YAML, YAML, "!&*", 10);
    }
}
