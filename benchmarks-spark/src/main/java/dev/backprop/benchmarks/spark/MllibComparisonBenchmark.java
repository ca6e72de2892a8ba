package dev.backprop.benchmarks.spark;

import dev.backprop.core.cluster.DataParallelJob;
import dev.backprop.core.config.ExperimentSource;
import dev.backprop.core.cluster.WorkerResult;
import dev.backprop.spark.SparkBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The SDK against Spark MLlib's {@code MultilayerPerceptronClassifier} at an equal number of weight
 * updates: 10 full-batch gradient steps over workload B's 10,000 examples with MLlib's network
 * (784-256 sigmoid-128 sigmoid-10 softmax, cross-entropy). MLlib's {@code gd} solver takes one
 * full-batch step per iteration, a Spark job each; the SDK's run is one job with batch-size 10,000.
 * One operation is one whole training run.
 */
@State(Scope.Benchmark)
public class MllibComparisonBenchmark extends SparkJobBenchmark {
    static final int UPDATES = 10;

    /** Who trains, where. */
    @Param({"backprop-engine", "backprop-local[2]", "mllib-local[2]"})
    public String trainer;

    private ExperimentSource source;
    private SparkSession spark;
    private Dataset<Row> frame;

    /** Writes the data, starts Spark and caches MLlib's DataFrame, once per trial. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path folder = dataFolder();
        source = WorkloadB.experiment(folder, "sigmoid", WorkloadB.EXAMPLES, UPDATES);
        if (trainer.equals("backprop-engine")) {
            return;
        }
        spark = SparkSession.builder().config(SparkBackend.configure(new SparkConf().setAppName("backprop-benchmark"), "local[2]"))
                .getOrCreate();
        if (trainer.startsWith("mllib")) {
            List<Row> rows = new ArrayList<>();
            List<String> lines = Files.readAllLines(WorkloadB.csv(folder));
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                double[] x = new double[WorkloadB.INPUTS];
                for (int c = 0; c < x.length; c++) {
                    x[c] = Double.parseDouble(cells[c]);
                }
                rows.add(RowFactory.create(Double.parseDouble(cells[WorkloadB.INPUTS].substring(1)), Vectors.dense(x)));
            }
            StructType schema = new StructType(new StructField[] {
                new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
                new StructField("features", new VectorUDT(), false, Metadata.empty())});
            frame = spark.createDataFrame(rows, schema).repartition(2).cache();
            frame.count();
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
     * @param stats where the time went (the SDK only; MLlib does not report it)
     * @return the trained result
     */
    @Benchmark
    public Object train(Stats stats) {
        long start = System.nanoTime();
        if (trainer.equals("mllib-local[2]")) {
            MultilayerPerceptronClassificationModel model = new MultilayerPerceptronClassifier()
                    .setLayers(new int[] {WorkloadB.INPUTS, 256, 128, WorkloadB.CLASSES}).setSolver("gd").setStepSize(0.01)
                    .setMaxIter(UPDATES).setTol(0).setBlockSize(128).setSeed(1).fit(frame);
            return model;
        }
        if (trainer.equals("backprop-engine")) {
            return Engine.train(runner, source, WorkloadB.EXAMPLES, UPDATES, stats, start);
        }
        WorkerResult result = new SparkBackend().train(new DataParallelJob(source, "local[2]", 2), () -> false);
        stats.record(result, (long) WorkloadB.EXAMPLES * UPDATES, System.nanoTime() - start);
        return result;
    }
}
