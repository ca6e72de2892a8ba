package dev.backprop.spark;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import java.io.File;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark context a job runs in: the application's own if one is running (an embedding application or
 * {@code spark-submit}), otherwise a new one for the given master, stopped again when the job ends.
 */
final class SparkContexts {
    private static final Logger LOG = LoggerFactory.getLogger(SparkContexts.class);
    private static final String OWNER = "spark.backprop.owner";

    private SparkContexts() {
    }

    /** A context, and whether closing the handle stops it. */
    record Handle(JavaSparkContext context, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                context.stop();
            }
        }
    }

    /**
     * @param master the master URL
     * @return a handle on the running context or a new one
     */
    static Handle open(String master) {
        String token = UUID.randomUUID().toString();
        SparkConf conf = defaults(new SparkConf(), master).set(OWNER, token);
        SparkContext context;
        try {
            context = SparkContext.getOrCreate(conf);
        } catch (RuntimeException e) {
            throw new BackpropException(ErrorCode.CLUSTER_FAILED, "Spark could not start on master " + master + ": " + e.getMessage(), e);
        }
        boolean owned = token.equals(context.getConf().get(OWNER, ""));
        if (!owned && !context.master().equals(master)) {
            LOG.warn("A Spark context for {} is already running in this application; the job runs there, not on {}",
                    context.master(), master);
        }
        return new Handle(JavaSparkContext.fromSparkContext(context), owned);
    }

    /**
     * @param handle a context
     * @param master the master it was asked for, for the message
     * @throws BackpropException if the context has stopped (a standalone master that never answered stops it)
     */
    static void checkRunning(Handle handle, String master) {
        if (handle.context().sc().isStopped()) {
            throw new BackpropException(ErrorCode.CLUSTER_FAILED, "The Spark context for " + master + " stopped before the job "
                    + "finished; is the master reachable? (--verbose shows Spark's log)");
        }
    }

    /** {@code local}, {@code local[N]}, {@code local[*]}, {@code local[N,F]}: threads of this JVM, not executors. */
    private static boolean isLocalThreads(String master) {
        return master.equals("local") || master.startsWith("local[");
    }

    /**
     * The settings a backprop job needs, without overriding what the user set ({@code spark.*} system
     * properties, {@code spark-submit --conf}).
     *
     * @param conf the configuration to complete
     * @param master the master URL
     * @return {@code conf}
     */
    static SparkConf defaults(SparkConf conf, String master) {
        conf.setMaster(master).setIfMissing("spark.app.name", "backprop")
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.ui.showConsoleProgress", "false")
                // A barrier stage larger than the cluster is checked every second: at once in local mode, whose
                // slots are fixed; for up to 30 s elsewhere, while executors register (Spark's default is 10 min).
                .setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", isLocalThreads(master) ? "1" : "30")
                .setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s");
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            // Executor JVMs run the same (SIMD) kernels as this one, so their sums have the same bits.
            conf.setIfMissing("spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector");
        }
        if (master.startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        if (master.startsWith("local-cluster") && !conf.contains("spark.executor.extraClassPath")) {
            // Executor JVMs on this machine: give them this JVM's class path, with absolute entries.
            String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(entry -> !entry.isBlank())
                    .map(entry -> new File(entry).getAbsolutePath())
                    .collect(Collectors.joining(File.pathSeparator));
            conf.set("spark.executor.extraClassPath", classPath);
        }
        return conf;
    }
}
