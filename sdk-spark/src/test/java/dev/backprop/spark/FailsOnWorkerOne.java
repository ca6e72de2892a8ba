package dev.backprop.spark;

import dev.backprop.api.Activation;
import dev.backprop.api.ActivationProvider;
import dev.backprop.api.ElementwiseActivation;
import dev.backprop.api.PluginParameters;
import org.apache.spark.TaskContext;

/**
 * A test activation that is the identity, except in the Spark task of partition 1 on the third
 * backward pass, where it throws: one worker failing while the others wait for its gradient sums.
 */
public final class FailsOnWorkerOne extends ElementwiseActivation {
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
        if (task != null && task.partitionId() == 1 && ++backwardCalls == 3) {
            throw new IllegalStateException("worker 1 fails on purpose");
        }
        super.backward(net, out, gradOut, gradNet, rows, cols);
    }

    /** Provides {@code fails-on-worker-1}. */
    public static final class Provider implements ActivationProvider {
        @Override
        public String name() {
            return "fails-on-worker-1";
        }

        @Override
        public String description() {
            return "test only: the identity, which throws in Spark partition 1";
        }

        @Override
        public Activation create(PluginParameters parameters) {
            return new FailsOnWorkerOne();
        }
    }
}
