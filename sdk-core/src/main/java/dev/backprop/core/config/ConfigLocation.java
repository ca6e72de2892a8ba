package dev.backprop.core.config;

import dev.backprop.api.BackpropException;

/**
 * Where a value of an experiment configuration was written (file, line, column and key path), so that a
 * check made later, against the data say, can still point at the line. Configurations built in code have
 * none ({@code null}).
 */
public interface ConfigLocation {
    /**
     * @param e an error about the value written here
     * @return the same error, located at this place
     */
    ConfigException relocate(BackpropException e);

    /**
     * @param key a key of the mapping written here
     * @return the place of that key's value, or this place if the key is absent
     */
    ConfigLocation at(String key);
}
