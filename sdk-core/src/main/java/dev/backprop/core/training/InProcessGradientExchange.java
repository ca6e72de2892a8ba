package dev.backprop.core.training;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link GradientExchange} between threads of one JVM: data-parallel training without a cluster, for
 * tests and for checking that a distributed run computes what a local one does. Create one group with
 * {@link #group(int)} and give each worker thread its member.
 */
public final class InProcessGradientExchange implements GradientExchange {
    private final Group group;
    private final int rank;

    private InProcessGradientExchange(Group group, int rank) {
        this.group = group;
        this.rank = rank;
    }

    /**
     * @param workers how many workers exchange, at least 1
     * @return one exchange per worker, indexed by rank
     */
    public static List<GradientExchange> group(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        Group group = new Group(workers);
        List<GradientExchange> members = new ArrayList<>();
        for (int rank = 0; rank < workers; rank++) {
            members.add(new InProcessGradientExchange(group, rank));
        }
        return List.copyOf(members);
    }

    @Override
    public int workers() {
        return group.slots.length;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public double[] sumInRankOrder(double[] values) {
        group.slots[rank] = values.clone();
        group.await(); // every worker has written its slot
        double[] total = GradientExchange.addInRankOrder(java.util.Arrays.asList(group.slots));
        group.await(); // every worker has read every slot before the next step overwrites them
        return total;
    }

    @Override
    public void abort(Throwable cause) {
        group.abort(cause); // wakes the other workers with an error instead of leaving them waiting
    }

    /** The shared slots of one group, and a barrier that a failed worker can break for good. */
    private static final class Group {
        private final double[][] slots;
        private int arrived;
        private long generation;
        private boolean aborted;
        private Throwable cause;

        Group(int workers) {
            this.slots = new double[workers][];
        }

        synchronized void await() {
            long current = generation;
            if (!aborted && ++arrived == slots.length) {
                arrived = 0;
                generation++;
                notifyAll();
                return;
            }
            // An interrupt of a worker's thread is a stop request, which the workers vote on in this very exchange:
            // the wait goes on (a failed worker breaks it with abort) and the flag stays set for the vote.
            boolean interrupted = false;
            while (current == generation && !aborted) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (aborted) {
                throw new IllegalStateException("another of the " + slots.length + " workers failed (" + cause + "); this one stops too",
                        cause);
            }
        }

        synchronized void abort(Throwable failure) {
            if (!aborted) {
                cause = failure;
            }
            aborted = true;
            notifyAll();
        }
    }
}
