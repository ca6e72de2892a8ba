package dev.backprop.spark;

import dev.backprop.core.config.ExperimentSource;
import dev.backprop.api.BackpropException;
import dev.backprop.core.cluster.ClusterWorker;
import dev.backprop.core.cluster.WorkerResult;
import dev.backprop.core.training.GradientExchange;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One worker of data-parallel training, as a task of a barrier stage: its partition id is its rank. It
 * carries only the experiment's text; the first worker returns the result, the others their statistics.
 */
final class BarrierTrainingTask extends AbstractFunction1<Iterator<Integer>, Iterator<WorkerResult>> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ExperimentSource source;
    private final String exchange;
    private final CheckpointRelay.Address relay;

    /**
     * @param source the experiment
     * @param exchange {@code ring} or {@code star}
     */
    BarrierTrainingTask(ExperimentSource source, String exchange, CheckpointRelay.Address relay) {
        this.source = source;
        this.exchange = exchange;
        this.relay = relay;
    }

    @Override
    public Iterator<WorkerResult> apply(Iterator<Integer> ranks) {
        return run(exchange, link -> worker(source, relay, link).train(source, link, BarrierTaskContext.get().cpus()));
    }

    /**
     * A worker that continues from the driver's newest checkpoint (a retried stage continues where the
     * failed one last checkpointed), the first of which sends its snapshots to the driver.
     */
    static ClusterWorker worker(ExperimentSource source, CheckpointRelay.Address relay, GradientExchange link) {
        return new ClusterWorker(ExecutorRunner.get(source.pluginFolders()))
                .withCheckpoints(relay.fetch(), link.rank() == 0 ? relay::save : null);
    }

    /**
     * Connects this task to the others of its barrier stage, trains, and returns what the driver collects:
     * the first worker's whole result, the others' statistics.
     */
    static Iterator<WorkerResult> run(String exchange, java.util.function.Function<GradientExchange, WorkerResult> training) {
        BarrierTaskContext context = BarrierTaskContext.get();
        WorkerResult result;
        AutoCloseable connection = null;
        try {
            GradientExchange link;
            if ("star".equals(exchange)) {
                HubGradientExchange star = HubGradientExchange.connect(context);
                connection = star;
                link = star;
            } else {
                RingGradientExchange ring = RingGradientExchange.connect(context);
                connection = ring;
                link = ring;
            }
            result = training.apply(link);
        } catch (BackpropException error) {
            result = WorkerResult.failed(context.partitionId(), error); // the experiment's own error: not worth a retry
        } finally {
            closeQuietly(connection);
        }
        List<WorkerResult> out = List.of(context.partitionId() == 0 ? result : result.statisticsOnly());
        return CollectionConverters.asScala(out.iterator());
    }

    private static void closeQuietly(AutoCloseable connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (Exception ignored) {
                // the exchanges' close only closes sockets
            }
        }
    }
}
