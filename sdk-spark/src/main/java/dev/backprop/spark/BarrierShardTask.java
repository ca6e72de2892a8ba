package dev.backprop.spark;

import dev.backprop.core.cluster.RowsInput;
import dev.backprop.core.cluster.WorkerResult;
import dev.backprop.core.config.ExperimentSource;
import dev.backprop.core.training.Dataset;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * One worker of a run whose training rows Spark reads: a task of a barrier stage over the rows split
 * into shards, so that its partition is its shard (in the rows' order) and nothing else. It holds those
 * rows only, and trains with the others as {@link BarrierTrainingTask} does.
 */
final class BarrierShardTask extends AbstractFunction1<Iterator<double[]>, Iterator<WorkerResult>> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ExperimentSource source;
    private final String exchange;
    private final RowsInput rows;
    private final CheckpointRelay.Address relay;

    BarrierShardTask(ExperimentSource source, String exchange, RowsInput rows, CheckpointRelay.Address relay) {
        this.source = source;
        this.exchange = exchange;
        this.rows = rows;
        this.relay = relay;
    }

    @Override
    public Iterator<WorkerResult> apply(Iterator<double[]> shard) {
        int features = rows.features().size();
        int classes = rows.summary().classes().size();
        List<double[]> x = new ArrayList<>();
        List<double[]> y = new ArrayList<>();
        while (shard.hasNext()) {
            double[] row = shard.next();
            x.add(java.util.Arrays.copyOf(row, features));
            double[] target = new double[classes];
            target[(int) row[features]] = 1;
            y.add(target);
        }
        Dataset data = x.isEmpty() ? Dataset.empty(features, classes)
                : Dataset.of(x.toArray(new double[0][]), y.toArray(new double[0][]));
        x.clear(); // the rows live on in the dataset only
        y.clear();
        return BarrierTrainingTask.run(exchange, link -> BarrierTrainingTask.worker(source, relay, link)
                .train(source, link, BarrierTaskContext.get().cpus(), rows, data));
    }
}
