package dev.backprop.spark;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.ElementwiseActivation;
import dev.backprop.api.PluginParameters;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * A test activation that is the identity, except in the first attempt of Spark partition 1 running in an
 * executor JVM (never in the driver's), where its 21st backward pass (the third of epoch 3 at 9 batches an
 * epoch) halts that JVM: a lost executor in the middle of training.
 */
public final class HaltsExecutorOne extends ElementwiseActivation {
    private int backwardCalls;

    @Override
    public double apply(double net) {
        return net;
    }

    @Override
    public double derivative(double net, double out) {
        return 1.0;
    }

    @Override
    public void backward(double[] net, double[] out, double[] gradOut, double[] gradNet, int rows, int cols) {
        TaskContext task = TaskContext.get();
        if (task != null && task.partitionId() == 1 && task.stageAttemptNumber() == 0 && SparkEnv.get() != null
                && !"driver".equals(SparkEnv.get().executorId()) && ++backwardCalls == 21) {
            Runtime.getRuntime().halt(137);
        }
        super.backward(net, out, gradOut, gradNet, rows, cols);
    }

    /** Provides {@code halts-executor-1}. */
    public static final class Provider implements ActivationProvider {
        @Override
        public String name() {
            return "halts-executor-1";
        }

        @Override
        public String description() {
            return "test only: the identity, which halts the executor JVM of Spark partition 1 in epoch 3";
        }

        @Override
        public Activation create(PluginParameters parameters) {
            return new HaltsExecutorOne();
        }
    }
}
