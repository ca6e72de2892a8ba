package dev.backprop.api;

/**
 * The version of this API, for compatibility checks of plugins loaded at run time. A plugin built
 * against another major version is refused. Plugin jars state the version they were built against in
 * their manifest ({@value #MANIFEST_ATTRIBUTE}) or, as named modules, through the compiled version of
 * their {@code requires dev.backprop.api}.
 */
public final class ApiVersion {
    /** The major version: changes only when the SPIs change incompatibly. */
    public static final int MAJOR = 0;
    /** The minor version: grows with compatible additions. */
    public static final int MINOR = 1;
    /** The jar-manifest attribute a plugin uses to declare the API version it was built against. */
    public static final String MANIFEST_ATTRIBUTE = "Backprop-Api-Version";

    private ApiVersion() {
    }

    /** @return {@code MAJOR.MINOR} */
    public static String current() {
        return MAJOR + "." + MINOR;
    }

    /**
     * @param version a version such as {@code 0.1}, {@code 0.1.0-SNAPSHOT} or {@code 2}
     * @return whether a plugin built against that version works with this API (same major version)
     * @throws IllegalArgumentException if the version does not start with a number
     */
    public static boolean isCompatible(String version) {
        return majorOf(version) == MAJOR;
    }

    /**
     * @param version a version string
     * @return its leading number
     */
    public static int majorOf(String version) {
        String trimmed = version == null ? "" : version.trim();
        int end = 0;
        while (end < trimmed.length() && Character.isDigit(trimmed.charAt(end))) {
            end++;
        }
        if (end == 0) {
            throw new IllegalArgumentException("not a version: '" + version + "'");
        }
        return Integer.parseInt(trimmed.substring(0, end));
    }
}
