package dev.backprop.core.training;

import java.util.List;

/**
 * How the workers of synchronous data-parallel training combine their gradient sums: every worker sends
 * its values for a step and receives the element-wise total over all workers, added in rank order
 * (worker 0's values, plus worker 1's, and so on), so that every worker ends the step with the same
 * bits. The {@link Trainer} then divides once by the true batch size.
 *
 * <p>Implementations carry values between workers and nothing else: threads in one JVM
 * ({@link InProcessGradientExchange}) or the tasks of a Spark barrier stage ({@code sdk-spark}).
 */
public interface GradientExchange {
    /** @return how many workers take part, at least 1 */
    int workers();

    /** @return this worker's index, {@code 0 .. workers() - 1}; it fixes which rows of each batch it computes */
    int rank();

    /**
     * Sends this worker's values and waits for the total.
     *
     * @param values this worker's values for the current step (not kept after the call returns)
     * @return a new array: for each index, the sum over workers in rank order,
     *     {@code ((v0 + v1) + v2) + ...}, bit-identical on every worker
     */
    double[] sumInRankOrder(double[] values);

    /**
     * The sum {@link #sumInRankOrder} must return, for implementations that have every worker's values.
     *
     * @param byRank each worker's values, indexed by rank, all of the same length
     * @return their element-wise sum in rank order
     */
    static double[] addInRankOrder(List<double[]> byRank) {
        double[] total = byRank.get(0).clone();
        for (int w = 1; w < byRank.size(); w++) {
            double[] other = byRank.get(w);
            if (other.length != total.length) {
                throw new IllegalStateException("worker " + w + " sent " + other.length + " values, worker 0 sent " + total.length);
            }
            for (int i = 0; i < total.length; i++) {
                total[i] += other[i];
            }
        }
        return total;
    }

    /** @return the bytes this worker has sent to the others so far (0 for an exchange without a wire) */
    default long bytesSent() {
        return 0;
    }

    /** @return the bytes this worker has received from the others so far (0 for an exchange without a wire) */
    default long bytesReceived() {
        return 0;
    }

    /**
     * Called when this worker's training fails, so that the others stop waiting for it, and stop with the
     * same error where the exchange can carry it. The default does nothing.
     *
     * @param cause why this worker stopped
     */
    default void abort(Throwable cause) {
    }
}
