package dev.backprop.core.hardening;

import java.util.List;
import java.util.Random;

/** Hostile variations of a valid document: truncations, odd characters, huge values, deep nesting. */
final class Mutations {
    static final List<String> SNIPPETS = List.of(
            "1e999999", "-1e-999999", "99999999999999999999999999", "-0x8000000000000000", ".nan", ".inf", "-.inf",
            "0x7fffffff", "2147483648", "-2147483649", "NaN", "Infinity", "\u0000", "\uFEFF", "\r\n", "\t", "\u00e9\u4e2d\uD83D\uDE00",
            "!!java.lang.Runtime", "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://localhost/\"]]]]",
            "&a [1, 2]", "*a", "*undefined", "{", "}", "[", "]", ": ", "- ", "? ", "|", ">", "%YAML 1.1\n", "---\n", "...\n",
            "\"unterminated", "'", "#", "@", "`", "!", "~", "null", "true", "", "dense: 2000000000", "dense: 100000",
            "epochs: 0", "batch-size: -1", "seed: 1.5", "name: ../../etc/passwd", "csv: /dev/zero", "csv: /", "synthetic: spirals");

    private Mutations() {
    }

    static String mutate(String base, long seed, int rounds) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(base);
        for (int round = 0; round < rounds; round++) {
            int at = text.length() == 0 ? 0 : random.nextInt(text.length() + 1);
            switch (random.nextInt(9)) {
                case 0 -> text.setLength(at); // truncate
                case 1 -> text.insert(at, SNIPPETS.get(random.nextInt(SNIPPETS.size())));
                case 2 -> {
                    if (at < text.length()) {
                        text.setCharAt(at, (char) random.nextInt(0x3000));
                    }
                }
                case 3 -> text.insert(at, "[".repeat(1 + random.nextInt(500)));
                case 4 -> text.insert(at, "x".repeat(1 + random.nextInt(200_000)));
                case 5 -> {
                    int end = Math.min(text.length(), at + random.nextInt(40));
                    String copy = text.substring(at, end);
                    text.insert(end, copy); // duplicate a span (duplicate keys, repeated rows)
                }
                case 6 -> text.insert(0, "\uFEFF");
                case 7 -> {
                    String s = text.toString().replace("\n", random.nextBoolean() ? "\r\n" : "\r");
                    text.setLength(0);
                    text.append(s);
                }
                default -> {
                    int end = Math.min(text.length(), at + random.nextInt(30));
                    text.delete(at, end);
                }
            }
        }
        return text.toString();
    }
}
