package dev.backprop.spark;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.cluster.ClusterBackend;
import dev.backprop.core.cluster.DataParallelJob;
import dev.backprop.core.cluster.RowsInput;
import dev.backprop.core.cluster.StateData;
import java.util.function.Consumer;
import dev.backprop.core.cluster.WorkerResult;
import dev.backprop.core.data.RowsSummary;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import dev.backprop.core.cluster.WorkerStats;
import dev.backprop.core.sweep.SweepRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag$;

/**
 * The {@link ClusterBackend} for Apache Spark, found by {@link java.util.ServiceLoader} when a run names a
 * master. Data-parallel training is one barrier stage: one long-running task per worker, which trains
 * the whole run and exchanges gradient sums with the others every step ({@link HubGradientExchange}), so
 * the fixed cost of a Spark job is paid once, not per batch. Sweeps are one ordinary task per trial.
 *
 * <p>Only data crosses the wire: the experiment's YAML text and overrides, plugin versions and folders,
 * trial settings, and plain results. Executors rebuild the experiment with the plugins on their own class
 * path and in the driver's plugin folders.
 */
public final class SparkBackend implements ClusterBackend {
    private static final Logger LOG = LoggerFactory.getLogger(SparkBackend.class);
    private static final long POLL_MILLIS = 200;
    private static final Pattern SDK_ERROR = Pattern.compile(Pattern.quote(BackpropException.class.getName()) + ": \\[(BP-\\d+)\\] ([^\\n]*)");

    /** For {@link java.util.ServiceLoader}. */
    public SparkBackend() {
    }

    /**
     * Completes a Spark configuration with what backprop jobs need, keeping every value already set: UI
     * off, loopback addresses for local masters, a quick answer when a barrier stage is larger than the
     * cluster, and for {@code local-cluster} the executors' class path. For applications that create the
     * Spark context themselves; the backend then runs in it.
     *
     * @param conf the configuration
     * @param master the master URL to set
     * @return {@code conf}
     */
    public static SparkConf configure(SparkConf conf, String master) {
        return SparkContexts.defaults(conf, master);
    }

    @Override
    public String name() {
        return "Apache Spark " + SparkContext.class.getPackage().getImplementationVersion();
    }

    @Override
    public WorkerResult train(DataParallelJob job, BooleanSupplier stopRequested, Consumer<StateData> snapshots) {
        try (SparkContexts.Handle handle = SparkContexts.open(job.master());
                CheckpointRelay relay = new CheckpointRelay(handle.context().getConf().get("spark.driver.host"), job.resume(), snapshots,
                        stopRequested)) {
            return failingClearly(handle, job.master(), job.partitions(), () -> {
                JavaSparkContext sc = handle.context();
                int partitions = job.partitions() > 0 ? job.partitions() : sc.defaultParallelism();
                LOG.info("Data-parallel training: {} workers in one barrier stage on {}, {} exchange", partitions, sc.master(), job.exchange());
                sc.setJobGroup("backprop-train", "backprop: data-parallel training of " + job.source().shownName(), true);
                RDD<WorkerResult> results;
                if (job.rows() != null) {
                    RowsInput input = job.rows();
                    Dataset<Row> rows = SparkRows.read(sc, input.kind(), input.location(), input.label(), input.features());
                    results = SparkRows.shards(rows, input, input.offsets()).rdd().barrier()
                            .mapPartitions(new BarrierShardTask(job.source(), job.exchange(), input, relay.address()), false,
                                    ClassTag$.MODULE$.apply(WorkerResult.class));
                } else {
                    JavaRDD<Integer> ranks = sc.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions);
                    results = ranks.rdd().barrier().mapPartitions(new BarrierTrainingTask(job.source(), job.exchange(), relay.address()), false,
                            ClassTag$.MODULE$.apply(WorkerResult.class));
                }
                // A shuffle after the barrier stage makes it a shuffle-map stage, which Spark retries when a task or an
                // executor is lost (a failed barrier result stage is never retried); the workers continue from the
                // newest checkpoint.
                List<WorkerResult> all = new ArrayList<>(await(handle, results.toJavaRDD().repartition(1).collectAsync(), stopRequested,
                        job.master(), partitions));
                all.sort(Comparator.comparingInt(r -> r.workers().get(0).rank()));
                for (WorkerResult result : all) {
                    if (result.failure() != null) {
                        int newline = result.failure().indexOf('\n');
                        throw new BackpropException(errorCode(result.failure().substring(0, newline)).orElse(ErrorCode.CLUSTER_FAILED),
                                result.failure().substring(newline + 1));
                    }
                }
                if (all.size() != partitions) {
                    throw new BackpropException(ErrorCode.CLUSTER_FAILED, "Expected " + partitions + " worker results from "
                            + job.master() + ", got " + all.size() + ".");
                }
                List<WorkerStats> stats = all.stream().flatMap(r -> r.workers().stream()).toList();
                return all.get(0).withWorkers(stats); // partition 0 is rank 0: it carries the weights
            });
        }
    }

    @Override
    public RowsSummary summarise(String master, String kind, String location, String label, List<String> features) {
        try (SparkContexts.Handle handle = SparkContexts.open(master)) {
            return failingClearly(handle, master, 1, () -> {
                JavaSparkContext sc = handle.context();
                sc.setJobGroup("backprop-summary", "backprop: one pass over " + kind + " " + location, true);
                Dataset<Row> rows = SparkRows.read(sc, kind, location, label, features);
                return SparkRows.summarise(rows, features.size(), kind + " " + location, features, label);
            });
        }
    }

    @Override
    public List<SweepRunner.Trial> runTrials(String master, List<SweepRunner.TrialJob> trials) {
        if (trials.isEmpty()) {
            return List.of();
        }
        try (SparkContexts.Handle handle = SparkContexts.open(master)) {
            return failingClearly(handle, master, trials.size(), () -> {
                JavaSparkContext sc = handle.context();
                sc.setJobGroup("backprop-sweep", "backprop: " + trials.size() + " sweep trials", true);
                JavaRDD<SweepRunner.TrialJob> jobs = sc.parallelize(trials, trials.size());
                return await(handle, jobs.map(new TrialTask()).collectAsync(), () -> false, master, trials.size());
            });
        }
    }

    /** Runs a job; Spark's own exceptions (a context that stopped under it, say) become one SDK error. */
    private static <T> T failingClearly(SparkContexts.Handle handle, String master, int tasks, Supplier<T> job) {
        try {
            SparkContexts.checkRunning(handle, master);
            return job.get();
        } catch (BackpropException | CancellationException e) {
            throw e;
        } catch (Exception e) { // Spark's SparkException is a checked exception that Scala code throws undeclared
            SparkContexts.checkRunning(handle, master);
            throw translate(e, master, tasks);
        }
    }

    /** Waits for a job, cancelling it when a stop is requested, and turns Spark's failures into SDK errors. */
    private static <T> List<T> await(SparkContexts.Handle handle, JavaFutureAction<List<T>> future, BooleanSupplier stopRequested,
            String master, int tasks) {
        try {
            while (true) {
                // Asked before each wait, so a stop requested before a short job ends is not missed.
                if (stopRequested.getAsBoolean()) {
                    future.cancel(true);
                    throw new CancellationException("stopped on request");
                }
                try {
                    return future.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // A context that stopped (a standalone master that never answered) would leave the job waiting.
                    SparkContexts.checkRunning(handle, master);
                }
            }
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            throw translate(e.getCause() == null ? e : e.getCause(), master, tasks);
        }
    }

    /**
     * @param id an error code's id, such as {@code BP-105}
     * @return the code with that id, if there is one
     */
    static Optional<ErrorCode> errorCode(String id) {
        return Arrays.stream(ErrorCode.values()).filter(code -> code.id().equals(id)).findFirst();
    }

    /** The SDK's own error from a task keeps its code and message; anything else becomes BP-601 with Spark's reason. */
    static RuntimeException translate(Throwable failure, String master, int tasks) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BackpropException known) {
                return new BackpropException(known.code(), known.detail(), failure);
            }
        }
        String reason = String.valueOf(failure.getMessage());
        // A failed barrier stage reports its task's exception only as text: recover the SDK error from it.
        Matcher sdkError = SDK_ERROR.matcher(reason);
        if (sdkError.find()) {
            Optional<ErrorCode> code = errorCode(sdkError.group(1));
            if (code.isPresent()) {
                return new BackpropException(code.get(), sdkError.group(2).strip(), failure);
            }
        }
        if (reason.contains("SPARK-24819") || reason.contains("more slots than the total number")) {
            return new BackpropException(ErrorCode.CLUSTER_FAILED, "The cluster " + master + " has fewer task slots than the "
                    + tasks + " workers asked for; all workers of data-parallel training run at once. Lower "
                    + "training.distributed.partitions (--partitions) or give the cluster more cores.", failure);
        }
        int end = reason.indexOf('\n');
        return new BackpropException(ErrorCode.CLUSTER_FAILED, "The Spark job on " + master + " failed: "
                + (end > 0 ? reason.substring(0, end) : reason), failure);
    }
}
