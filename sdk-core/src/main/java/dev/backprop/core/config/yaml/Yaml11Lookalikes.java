package dev.backprop.core.config.yaml;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain values that YAML 1.1 and YAML 1.2 read differently, where a number or a boolean is expected:
 * {@code 010} (8 to YAML 1.1, 10 to YAML 1.2), {@code 0o10}, {@code 0b1}, {@code 1_000}, {@code 1:30},
 * {@code yes}/{@code no}/{@code on}/{@code off}, and {@code 0x1F}. A configuration is read by people and
 * by other tools as much as by this SDK, so none of them is guessed: each is refused with what each
 * version reads and what to write instead (docs/config.md).
 */
final class Yaml11Lookalikes {
    private static final Pattern HEX = Pattern.compile("([-+]?)0x([0-9a-fA-F_]+)");
    private static final Pattern OCTAL_12 = Pattern.compile("([-+]?)0o([0-7]+)");
    private static final Pattern BINARY = Pattern.compile("([-+]?)0b([01_]+)");
    private static final Pattern BASE_60 = Pattern.compile("([-+]?)([0-9][0-9_]*)((?::[0-5]?[0-9])+)(\\.[0-9_]*)?");
    private static final Pattern UNDERSCORES = Pattern.compile("[-+]?[0-9][0-9_]*(?:\\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?");
    private static final Pattern LEADING_ZERO = Pattern.compile("([-+]?)0([0-9]+)");
    private static final Pattern TRUE_11 = Pattern.compile("y|Y|yes|Yes|YES|on|On|ON");
    private static final Pattern FALSE_11 = Pattern.compile("n|N|no|No|NO|off|Off|OFF");

    private Yaml11Lookalikes() {
    }

    /**
     * @param text a plain scalar where a number is expected
     * @return why it is refused and what to write, or {@code null} if it is no numeral of either version
     */
    static String number(String text) {
        Matcher m;
        if ((m = HEX.matcher(text)).matches() && !m.group(2).replace("_", "").isEmpty()) {
            String value = sign(m) + new BigInteger(m.group(2).replace("_", ""), 16);
            return "'" + text + "' is hexadecimal for " + value + "; write numbers in decimal: " + value + ".";
        }
        if ((m = OCTAL_12.matcher(text)).matches()) {
            String value = sign(m) + new BigInteger(m.group(2), 8);
            return "'" + text + "' is octal " + value + " in YAML 1.2 but a string in YAML 1.1; write " + value + ".";
        }
        if ((m = BINARY.matcher(text)).matches() && !m.group(2).replace("_", "").isEmpty()) {
            String value = sign(m) + new BigInteger(m.group(2).replace("_", ""), 2);
            return "'" + text + "' is binary " + value + " in YAML 1.1 but a string in YAML 1.2; write " + value + ".";
        }
        if ((m = BASE_60.matcher(text)).matches()) {
            BigInteger value = new BigInteger(m.group(2).replace("_", ""));
            for (String part : m.group(3).substring(1).split(":")) {
                value = value.multiply(BigInteger.valueOf(60)).add(new BigInteger(part));
            }
            String fraction = m.group(4) == null ? "" : m.group(4).replace("_", "");
            String shown = sign(m) + value + (fraction.length() > 1 ? fraction : "");
            return "'" + text + "' is " + shown + " in YAML 1.1 (base 60) but a string in YAML 1.2; write " + shown + ".";
        }
        if (text.contains("_") && UNDERSCORES.matcher(text).matches()) {
            String value = text.replace("_", "");
            return "'" + text + "' is " + value + " in YAML 1.1 but a string in YAML 1.2; write " + value + ".";
        }
        if ((m = LEADING_ZERO.matcher(text)).matches()) {
            String decimal = sign(m) + new BigInteger(m.group(2));
            if (m.group(2).matches("[0-7]+")) {
                String octal = sign(m) + new BigInteger(m.group(2), 8);
                return "'" + text + "' is " + octal + " in YAML 1.1 (a leading zero means octal) but " + decimal + " in YAML 1.2; "
                        + (octal.equals(decimal) ? "write " + decimal : "write " + decimal + " or " + octal) + ".";
            }
            return "'" + text + "' has a leading zero, which YAML 1.1 reads as octal; write " + decimal + ".";
        }
        return null;
    }

    /**
     * @param text a plain scalar where a boolean is expected
     * @return why it is refused and what to write, or {@code null} if YAML 1.1 reads no boolean in it
     */
    static String bool(String text) {
        boolean yes = TRUE_11.matcher(text).matches();
        if (!yes && !FALSE_11.matcher(text).matches()) {
            return null;
        }
        return "'" + text + "' is " + yes + " in YAML 1.1 but the string '" + text + "' in YAML 1.2; write " + yes + ".";
    }

    private static String sign(Matcher m) {
        return m.group(1).equals("-") ? "-" : "";
    }
}
