package dev.backprop.benchmarks.spark;

import dev.backprop.core.cluster.DataParallelJob;
import dev.backprop.core.cluster.WorkerResult;
import dev.backprop.core.cluster.WorkerStats;
import dev.backprop.core.config.ExperimentSource;
import dev.backprop.spark.SparkBackend;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The star against the ring on {@code local-cluster} with 2, 3 and 4 executor JVMs of one core: workload B
 * for two epochs at batch 32 and 1,024, each configuration run {@code repeats} times after one warm-up job
 * on the same Spark application. Prints one Markdown row per configuration: examples/s over the slowest
 * worker's training time, ms per step, and per worker per step the exchange's ms and the bytes sent and
 * received (the largest over the workers). Usage: {@code ExchangeTable [repeats]}.
 */
public final class ExchangeTable {
    private ExchangeTable() {
    }

    /**
     * @param args the number of measured jobs per configuration (default 2)
     */
    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Path data = SparkJobBenchmark.dataFolder();
        System.out.println("| workers | exchange | batch | examples/s | ms per step | exchange ms per step | max bytes sent per worker per step | max bytes received per worker per step |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for (int workers : new int[] {2, 3, 4}) {
            String master = "local-cluster[" + workers + ",1,1024]";
            JavaSparkContext spark = new JavaSparkContext(SparkBackend.configure(new SparkConf().setAppName("exchange-table"), master));
            try {
                for (int batch : new int[] {32, 1024}) {
                    ExperimentSource source = WorkloadB.experiment(data, "relu", batch, DistributedTrainingBenchmark.EPOCHS);
                    new SparkBackend().train(new DataParallelJob(source, master, workers, "ring", null, null), () -> false);
                    for (String exchange : new String[] {"star", "ring"}) {
                        double examplesPerSecond = 0;
                        double msPerStep = 0;
                        double exchangeMs = 0;
                        double sent = 0;
                        double received = 0;
                        for (int i = 0; i < repeats; i++) {
                            WorkerResult result = new SparkBackend().train(new DataParallelJob(source, master, workers, exchange, null, null),
                                    () -> false);
                            long slowest = 0;
                            double step = 0;
                            double ex = 0;
                            double s = 0;
                            double r = 0;
                            for (WorkerStats w : result.workers()) {
                                slowest = Math.max(slowest, w.trainingNanos());
                                step = Math.max(step, w.trainingNanos() / 1e6 / w.steps());
                                ex = Math.max(ex, w.exchangeNanos() / 1e6 / w.steps());
                                s = Math.max(s, (double) w.bytesSent() / w.steps());
                                r = Math.max(r, (double) w.bytesReceived() / w.steps());
                            }
                            examplesPerSecond += (double) WorkloadB.EXAMPLES * DistributedTrainingBenchmark.EPOCHS / (slowest / 1e9) / repeats;
                            msPerStep += step / repeats;
                            exchangeMs += ex / repeats;
                            sent = s;
                            received = r;
                        }
                        System.out.println(String.format(Locale.ROOT, "| %d | %s | %d | %,.0f | %.2f | %.2f | %,.0f | %,.0f |", workers,
                                exchange, batch, examplesPerSecond, msPerStep, exchangeMs, sent, received));
                        System.out.flush();
                    }
                }
            } finally {
                spark.stop();
            }
        }
    }
}
