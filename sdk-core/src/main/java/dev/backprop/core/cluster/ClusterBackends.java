package dev.backprop.core.cluster;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import java.util.ServiceLoader;

/** Finds the {@link ClusterBackend} on the class path or module path. */
public final class ClusterBackends {
    private ClusterBackends() {
    }

    /**
     * @param master the master URL the user asked for, for the message
     * @return the first backend found
     * @throws BackpropException ({@link ErrorCode#CLUSTER_FAILED}) if there is none
     */
    public static ClusterBackend find(String master) {
        return ServiceLoader.load(ClusterBackend.class, ClusterBackends.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new BackpropException(ErrorCode.CLUSTER_FAILED, "Running on master '" + master
                        + "' needs the sdk-spark module and Apache Spark on the class path, and neither is. "
                        + "With the backprop script, --master adds them; when embedding, depend on dev.backprop:sdk-spark "
                        + "and Spark 4.0 (see docs/distributed.md)."));
    }
}
