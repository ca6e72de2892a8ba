package dev.backprop.core.distributed;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/** Finds the {@link ClusterBackend} on the class path or module path, and checks master URLs. */
public final class ClusterBackends {
    /** The master URLs {@link #isMasterUrl} accepts, for messages. */
    public static final String MASTER_FORMS = "local, local[N], local[*], local[N,F], local-cluster[N,C,MB], "
            + "spark://HOST:PORT[,HOST:PORT...], yarn or k8s://URL (N, C, MB and F whole numbers >= 1)";

    /** The master URLs Spark 4.0 itself accepts, with the numbers it requires to be positive. */
    private static final Pattern MASTER = Pattern.compile(
            "local(\\[(\\*|[1-9]\\d{0,5})(,\\s*[1-9]\\d{0,5})?])?"
            + "|local-cluster\\[\\s*[1-9]\\d{0,5}\\s*,\\s*[1-9]\\d{0,5}\\s*,\\s*[1-9]\\d{0,8}\\s*]"
            + "|spark://[^\\s,/:]+:\\d{1,5}(,[^\\s,/:]+:\\d{1,5})*"
            + "|yarn|k8s://\\S+");

    private ClusterBackends() {
    }

    /**
     * @param master a master URL
     * @return whether it has one of the {@link #MASTER_FORMS}, so that a typo is reported before anything starts
     */
    public static boolean isMasterUrl(String master) {
        return master != null && MASTER.matcher(master).matches();
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
