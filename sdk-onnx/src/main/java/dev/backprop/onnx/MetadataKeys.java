package dev.backprop.onnx;

/**
 * The keys of an exported model's metadata ({@code metadata_props}). Lists are JSON arrays of strings.
 * The importer reads the same keys when they are present.
 */
public final class MetadataKeys {
    /** The input column names, a JSON array. */
    public static final String FEATURES = "backprop.features";
    /** The output column names, a JSON array. */
    public static final String TARGETS = "backprop.targets";
    /** A classifier's classes in output order, a JSON array. */
    public static final String CLASSES = "backprop.classes";
    /** A classifier's label column name. */
    public static final String LABEL = "backprop.label";
    /** The loss the model was trained with. */
    public static final String LOSS = "backprop.loss";
    /** How the normalisation was fitted: {@code standard} or {@code min-max}. */
    public static final String NORMALIZATION = "backprop.normalization";
    /** {@code float32} or {@code float64}. */
    public static final String PRECISION = "backprop.precision";
    /** The SDK version that wrote the file. */
    public static final String SDK_VERSION = "backprop.sdk-version";

    private MetadataKeys() {
    }
}
