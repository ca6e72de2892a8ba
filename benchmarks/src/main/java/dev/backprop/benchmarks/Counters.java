package dev.backprop.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Secondary JMH results, reported per second: training (or inference) examples, and floating-point
 * operations counted as 6 per weight per training example (2 forward, 4 backward and update) or 2 per
 * weight per inference example. Divide {@code flops} by 1e9 for GFLOP/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Counters {
    /** Examples processed. */
    public long examples;
    /** Floating-point operations performed. */
    public long flops;

    /** Clears the counters before each iteration. */
    @Setup(Level.Iteration)
    public void clear() {
        examples = 0;
        flops = 0;
    }

    void add(long count, long flopsPerExample) {
        examples += count;
        flops += count * flopsPerExample;
    }
}
