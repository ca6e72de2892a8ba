package dev.backprop.api;

/**
 * A parameter given to a plugin is unknown, missing or invalid. Carries the plugin and parameter
 * names so that a configuration reader can point at the offending key.
 */
public final class PluginParameterException extends BackpropException {
    private static final long serialVersionUID = 1L;

    /** The plugin whose parameter is wrong. */
    private final String pluginName;
    /** The parameter at fault. */
    private final String parameterName;

    /**
     * @param code one of {@link ErrorCode#PARAMETER_UNKNOWN}, {@link ErrorCode#PARAMETER_MISSING},
     *     {@link ErrorCode#PARAMETER_INVALID}
     * @param pluginName the plugin the parameter was given to
     * @param parameterName the offending parameter
     * @param message the user-facing message
     */
    public PluginParameterException(ErrorCode code, String pluginName, String parameterName, String message) {
        super(code, message);
        this.pluginName = pluginName;
        this.parameterName = parameterName;
    }

    /** @return the name of the plugin the parameter was given to */
    public String pluginName() {
        return pluginName;
    }

    /** @return the name of the offending parameter */
    public String parameterName() {
        return parameterName;
    }
}
