package dev.backprop.core.config;

import java.util.regex.Pattern;

/** The cluster master URLs a configuration or the command line may name, checked before anything starts. */
public final class MasterUrl {
    /** The accepted forms, for messages. */
    public static final String FORMS = "local, local[N], local[*], local[N,F], local-cluster[N,C,MB], "
            + "spark://HOST:PORT[,HOST:PORT...], yarn or k8s://URL (N, C, MB and F whole numbers >= 1)";

    /** The master URLs Spark 4.0 itself accepts, with the numbers it requires to be positive. */
    private static final Pattern MASTER = Pattern.compile(
            "local(\\[(\\*|[1-9]\\d{0,5})(,\\s*[1-9]\\d{0,5})?])?"
            + "|local-cluster\\[\\s*[1-9]\\d{0,5}\\s*,\\s*[1-9]\\d{0,5}\\s*,\\s*[1-9]\\d{0,8}\\s*]"
            + "|spark://[^\\s,/:]+:\\d{1,5}(,[^\\s,/:]+:\\d{1,5})*"
            + "|yarn|k8s://\\S+");

    private MasterUrl() {
    }

    /**
     * @param master a master URL
     * @return whether it has one of the {@link #FORMS}, so that a typo is reported before anything starts
     */
    public static boolean isValid(String master) {
        return master != null && MASTER.matcher(master).matches();
    }
}
