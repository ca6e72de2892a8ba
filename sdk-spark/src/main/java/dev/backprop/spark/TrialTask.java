package dev.backprop.spark;

import dev.backprop.core.sweep.SweepRunner;
import org.apache.spark.api.java.function.Function;

/** One sweep trial as one Spark task: the same {@link SweepRunner#runTrial} a local sweep calls. */
final class TrialTask implements Function<SweepRunner.TrialJob, SweepRunner.Trial> {
    private static final long serialVersionUID = 1L;

    @Override
    public SweepRunner.Trial call(SweepRunner.TrialJob job) {
        return SweepRunner.runTrial(ExecutorRunner.get(job.base().pluginFolders()), job);
    }
}
