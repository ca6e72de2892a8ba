package dev.backprop.cli;

/** A system property that gives a number of seconds, such as the grace shutdown hooks get. */
final class SecondsProperty {
    private SecondsProperty() {
    }

    /**
     * @param name the system property
     * @param defaultSeconds what an unset or unusable value (not a number of seconds from 0 to 3600) stands for
     * @return the seconds in milliseconds
     */
    static long millis(String name, int defaultSeconds) {
        String value = System.getProperty(name);
        if (value != null) {
            try {
                double seconds = Double.parseDouble(value.trim());
                if (seconds >= 0 && seconds <= 3600) {
                    return (long) (seconds * 1000);
                }
            } catch (NumberFormatException e) {
                // the default below
            }
        }
        return defaultSeconds * 1000L;
    }
}
