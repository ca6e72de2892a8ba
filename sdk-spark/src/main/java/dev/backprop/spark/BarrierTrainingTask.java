package dev.backprop.spark;

import dev.backprop.core.config.ExperimentSource;
import dev.backprop.core.cluster.ClusterWorker;
import dev.backprop.core.cluster.WorkerResult;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One worker of data-parallel training, as a task of a barrier stage: its partition id is its rank. It
 * carries only the experiment's text; the first worker returns the result.
 */
final class BarrierTrainingTask extends AbstractFunction1<Iterator<Integer>, Iterator<WorkerResult>> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ExperimentSource source;

    BarrierTrainingTask(ExperimentSource source) {
        this.source = source;
    }

    @Override
    public Iterator<WorkerResult> apply(Iterator<Integer> ranks) {
        BarrierTaskContext context = BarrierTaskContext.get();
        WorkerResult result;
        try (HubGradientExchange exchange = HubGradientExchange.connect(context)) {
            result = new ClusterWorker(ExecutorRunner.get(source.pluginFolders())).train(source, exchange, context.cpus());
        }
        List<WorkerResult> out = context.partitionId() == 0 ? List.of(result) : List.of();
        return CollectionConverters.asScala(out.iterator());
    }
}
