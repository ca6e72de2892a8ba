package dev.backprop.core.experiment;

/** Reads the version of the module or jar a class came from, for the record a run keeps. */
public final class Versions {
    private Versions() {
    }

    /**
     * @param type a class
     * @return the module version, else the jar's Implementation-Version, else {@code "unknown"}
     */
    public static String of(Class<?> type) {
        Module module = type.getModule();
        if (module.isNamed() && module.getDescriptor() != null) {
            var version = module.getDescriptor().rawVersion();
            if (version.isPresent()) {
                return version.get();
            }
        }
        String implementation = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return implementation != null ? implementation : "unknown";
    }

    /** @return the version of this SDK */
    public static String sdk() {
        return of(Versions.class);
    }
}
