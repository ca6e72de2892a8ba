package dev.backprop.benchmarks.spark;

import dev.backprop.core.cluster.WorkerResult;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Secondary results of one training job (each JMH operation is one job): where its time went. JMH
 * reports EVENTS counters as totals per iteration; with one operation per iteration they are per job.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class Stats {
    /** Training examples per second while training, without starting the job or loading data. */
    public double trainingExamplesPerSecond;
    /** Milliseconds per step (one weight update), computing and exchanging. */
    public double stepMillis;
    /** Of those, milliseconds exchanging gradient sums: the per-step fixed cost of distributing. */
    public double exchangeMillis;
    /** Seconds of the job outside training: starting it, loading the data, collecting the result. */
    public double overheadSeconds;

    /** Clears the counters. */
    @Setup(Level.Iteration)
    public void clear() {
        trainingExamplesPerSecond = 0;
        stepMillis = 0;
        exchangeMillis = 0;
        overheadSeconds = 0;
    }

    void record(WorkerResult result, long examples, long jobNanos) {
        record(result.trainingNanos(), result.exchangeNanos(), result.steps(), examples, jobNanos);
    }

    void record(long trainingNanos, long exchangeNanos, long steps, long examples, long jobNanos) {
        trainingExamplesPerSecond = examples / (trainingNanos / 1e9);
        stepMillis = trainingNanos / 1e6 / Math.max(steps, 1);
        exchangeMillis = exchangeNanos / 1e6 / Math.max(steps, 1);
        overheadSeconds = (jobNanos - trainingNanos) / 1e9;
    }
}
