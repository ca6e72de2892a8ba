package dev.backprop.api;

/**
 * Stable identifiers for every error the SDK reports. The code is part of the message
 * ({@code [BP-...]}) and of {@link BackpropException#code()}, so scripts and support requests can
 * refer to an error without parsing prose. Codes are never renumbered or reused.
 */
public enum ErrorCode {
    /** A plugin name is not kebab-case, or is blank. */
    PLUGIN_NAME_INVALID("BP-101"),
    /** No plugin of the requested kind has the requested name. */
    PLUGIN_UNKNOWN("BP-102"),
    /** Two providers of the same kind declare the same name. */
    PLUGIN_DUPLICATE("BP-103"),
    /** A provider could not be loaded or instantiated by {@link java.util.ServiceLoader}. */
    PLUGIN_LOAD_FAILED("BP-104"),
    /** A plugin threw while the network was running. */
    PLUGIN_FAILED("BP-105", false),
    /** A parameter given to a plugin is not one it declares. */
    PARAMETER_UNKNOWN("BP-111"),
    /** A required plugin parameter is missing. */
    PARAMETER_MISSING("BP-112"),
    /** A plugin parameter has the wrong type or a value outside its allowed range. */
    PARAMETER_INVALID("BP-113"),
    /** Two adjacent layers, or a layer and the data, disagree on a size. */
    SHAPE_MISMATCH("BP-201"),
    /** A network description is incomplete or contradictory. */
    NETWORK_INVALID("BP-202"),
    /** Training data is empty, ragged, or contains NaN or infinite values. */
    DATA_INVALID("BP-301"),
    /** A training setting (epochs, batch size, ...) is out of range. */
    TRAINING_INVALID("BP-302"),
    /** The loss became NaN or infinite during training. */
    TRAINING_DIVERGED("BP-303", false),
    /** An experiment configuration is malformed, has an unknown key, a wrong type or a bad value. */
    CONFIG_INVALID("BP-401"),
    /** A command-line argument is missing, unknown or out of range. */
    ARGUMENT_INVALID("BP-402"),
    /** An input file (configuration, data, model) could not be read. */
    IO_FAILED("BP-501"),
    /** A model file is malformed, of an unknown format, or inconsistent. */
    MODEL_INVALID("BP-502"),
    /** An output file (run directory, model, metrics) could not be written. */
    OUTPUT_FAILED("BP-503", false),
    /** Another process holds the run directory's lock. */
    RUN_DIRECTORY_IN_USE("BP-504"),
    /** A new run was pointed at a directory that already holds files (or a symbolic link no run creates). */
    RUN_DIRECTORY_NOT_EMPTY("BP-505"),
    /** A resume whose configuration differs from the run's own, or whose checkpoint does not fit the run. */
    RESUME_REFUSED("BP-506"),
    /**
     * A command's output path already holds a file the command did not write (or a link, a folder, a
     * device), which it does not replace without {@code --overwrite}.
     */
    OUTPUT_EXISTS("BP-507"),
    /** Distributed execution is not available (no cluster backend on the class path) or the cluster failed to run a job. */
    CLUSTER_FAILED("BP-601", false),
    /** An ONNX file is malformed, hostile, or uses an operator, type or shape the importer does not support. */
    ONNX_INVALID("BP-701"),
    /** A model cannot be exported to ONNX: a layer's activation plugin does not say how it exports. */
    ONNX_EXPORT_UNSUPPORTED("BP-702"),
    /** A failure the SDK did not foresee (a bug, or the JVM running out of memory); reported in one line. */
    INTERNAL_FAILED("BP-901", false);

    private final String id;
    private final boolean inputError;

    ErrorCode(String id) {
        this(id, true);
    }

    ErrorCode(String id, boolean inputError) {
        this.id = id;
        this.inputError = inputError;
    }

    /**
     * @return whether the error lies in what the user gave (configuration, data, arguments, plugins), as
     *     opposed to something that went wrong while running; command-line tools exit with 2 for the
     *     former and 1 for the latter
     */
    public boolean isInputError() {
        return inputError;
    }

    /** @return the stable identifier, for example {@code BP-102} */
    public String id() {
        return id;
    }
}
