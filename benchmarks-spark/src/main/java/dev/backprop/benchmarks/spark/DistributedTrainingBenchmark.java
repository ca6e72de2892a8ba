package dev.backprop.benchmarks.spark;

import dev.backprop.core.cluster.DataParallelJob;
import dev.backprop.core.config.ExperimentSource;
import dev.backprop.core.cluster.WorkerResult;
import dev.backprop.spark.SparkBackend;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Workload B (784-256 relu-128 relu-10 softmax, cross-entropy, SGD) trained for two epochs on 10,000
 * examples: by the local engine with 2 threads, as {@code ./backprop train} runs it ({@code engine}), as 2 Spark tasks of one JVM ({@code local[2]}),
 * and as 2 executor JVMs ({@code local-cluster}). One operation is one whole job, data loading included;
 * {@link Stats} separates training from the rest and the exchange from the computation.
 */
@State(Scope.Benchmark)
public class DistributedTrainingBenchmark extends SparkJobBenchmark {
    static final int EPOCHS = 2;

    /** Where training runs. */
    @Param({"engine", "local[2]", "local-cluster[2,1,3072]"})
    public String master;

    /** Examples per update. */
    @Param({"32", "1024"})
    public int batch;

    private ExperimentSource source;
    private JavaSparkContext spark;

    /** Writes the data once and starts Spark once per trial, so that operations measure jobs, not start-up. */
    @Setup(Level.Trial)
    public void setUp() {
        source = WorkloadB.experiment(dataFolder(), "relu", batch, EPOCHS);
        if (!master.equals("engine")) {
            spark = new JavaSparkContext(SparkBackend.configure(new SparkConf().setAppName("backprop-benchmark"), master));
        }
    }

    /** Stops Spark. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    /**
     * @param stats where the time went
     * @return the result, so that nothing is optimised away
     */
    @Benchmark
    public Object train(Stats stats) {
        long start = System.nanoTime();
        if (master.equals("engine")) {
            return Engine.train(runner, source, batch, EPOCHS, stats, start);
        }
        WorkerResult result = new SparkBackend().train(new DataParallelJob(source, master, 2), () -> false);
        stats.record(result, (long) WorkloadB.EXAMPLES * EPOCHS, System.nanoTime() - start);
        return result;
    }
}
