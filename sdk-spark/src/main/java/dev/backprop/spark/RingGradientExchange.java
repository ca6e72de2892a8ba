package dev.backprop.spark;

import dev.backprop.api.BackpropException;
import dev.backprop.core.training.GradientExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.BarrierTaskInfo;

/**
 * Gradient sums between the tasks of a Spark barrier stage, round a ring of direct TCP connections: each
 * worker sends only to the next rank ({@code r + 1 mod N}) and receives only from the previous one.
 *
 * <p>Each step has two passes round the ring, both cut into chunks of {@value #CHUNK} values so that all
 * links carry data at once. <b>Reduce</b>: worker 0 sends its values to worker 1, which adds its own and
 * sends the partial sums on to worker 2, and so on up to worker {@code N - 1}, which then holds every total.
 * <b>Share</b>: the totals go on round the ring, {@code N-1 -> 0 -> 1 -> ... -> N-2}. Every element is
 * therefore summed in rank order, {@code ((v0 + v1) + v2) + ...}, exactly as {@link
 * GradientExchange#addInRankOrder} and the star ({@link HubGradientExchange}) sum it: the same bits, whatever
 * the timing. A worker sends at most two model sizes per step and receives at most two (worker
 * {@code N-1} and worker {@code N-2} one each way less), for any {@code N}; the star's hub sends and
 * receives {@code N - 1}.
 *
 * <p>The stage's {@link BarrierTaskContext#allGather} is used once, to tell every worker the address of
 * the next one and a one-time token. A worker that fails sends its error to the next one, and the error
 * travels round the ring, so every worker stops with it. Values travel as their IEEE 754 bits.
 */
final class RingGradientExchange implements GradientExchange, AutoCloseable {
    /** Values per message: 64 KiB. */
    static final int CHUNK = 8192;
    private static final int CONNECT_TIMEOUT_MILLIS = 60_000;
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** After a write fails, how long to look for the error that travels round the ring. */
    private static final int CAUSE_TIMEOUT_MILLIS = 5_000;

    private final int rank;
    private final int workers;
    private final Wire.Peer next;
    private final Wire.Peer previous;
    private final Wire wire = new Wire();

    private RingGradientExchange(int rank, int workers, Wire.Peer next, Wire.Peer previous) {
        this.rank = rank;
        this.workers = workers;
        this.next = next;
        this.previous = previous;
    }

    /**
     * Connects the workers of the current barrier stage. Every task of the stage must call this.
     *
     * @param context the task's barrier context
     * @return this task's exchange
     */
    static RingGradientExchange connect(BarrierTaskContext context) {
        BarrierTaskInfo[] tasks = context.getTaskInfos();
        int rank = context.partitionId();
        return connect(rank, tasks.length, Wire.host(tasks[rank].address()), context::allGather);
    }

    /**
     * Connects {@code workers} workers into a ring; each calls this with its rank.
     *
     * @param rank this worker's rank
     * @param workers how many workers there are
     * @param ownHost the address this worker listens on
     * @param allGather sends this worker's message and returns every worker's, by rank (called once)
     * @return this worker's exchange
     */
    static RingGradientExchange connect(int rank, int workers, String ownHost, Function<String, String[]> allGather) {
        if (workers == 1) {
            return new RingGradientExchange(0, 1, null, null);
        }
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(ownHost, 0));
            String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            String[] all = allGather.apply(server.getInetAddress().getHostAddress() + " " + server.getLocalPort() + " " + token);
            String[] target = all[(rank + 1) % workers].split(" ");
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(target[0], Integer.parseInt(target[1])), CONNECT_TIMEOUT_MILLIS);
            Wire.Peer next = Wire.Peer.of(socket);
            next.out().writeUTF(target[2]);
            next.out().writeInt(rank);
            next.out().flush();
            return new RingGradientExchange(rank, workers, next, accept(server, (rank + workers - 1) % workers, token));
        } catch (IOException e) {
            throw new IllegalStateException("worker " + rank + " of " + workers + " could not connect to the others: " + e, e);
        }
    }

    /** Accepts the previous worker; a connection without the token, or silent for too long, is closed and ignored. */
    private static Wire.Peer accept(ServerSocket server, int previousRank, String token) throws IOException {
        server.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
        while (true) {
            Socket socket = server.accept();
            try {
                Wire.Peer peer = Wire.Peer.of(socket);
                socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
                String offered = peer.in().readUTF();
                int peerRank = peer.in().readInt();
                if (offered.equals(token) && peerRank == previousRank) {
                    socket.setSoTimeout(0); // from here a worker waits as long as the slowest one computes
                    return peer;
                }
            } catch (IOException e) {
                // not this stage's previous worker: closed below
            }
            socket.close();
        }
    }

    @Override
    public int workers() {
        return workers;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public long bytesSent() {
        return wire.sent();
    }

    @Override
    public long bytesReceived() {
        return wire.received();
    }

    @Override
    public double[] sumInRankOrder(double[] values) {
        if (workers == 1) {
            return values.clone();
        }
        int length = values.length;
        double[] total = new double[length];
        try {
            // Reduce: partial sums travel 0 -> 1 -> ... -> N-1, each worker adding its own values.
            for (int from = 0; from < length; from += CHUNK) {
                int count = Math.min(CHUNK, length - from);
                if (rank == 0) {
                    System.arraycopy(values, from, total, from, count);
                } else {
                    wire.read(previous.in(), total, from, count);
                    for (int i = from; i < from + count; i++) {
                        total[i] += values[i];
                    }
                }
                if (rank < workers - 1) {
                    send(total, from, count);
                }
            }
            // Share: the totals travel on, N-1 -> 0 -> 1 -> ... -> N-2.
            for (int from = 0; from < length; from += CHUNK) {
                int count = Math.min(CHUNK, length - from);
                if (rank != workers - 1) {
                    wire.read(previous.in(), total, from, count);
                }
                if (rank != workers - 2) {
                    send(total, from, count);
                }
            }
            return total;
        } catch (BackpropException failure) {
            abort(failure); // pass it on round the ring
            throw failure;
        } catch (IOException e) {
            throw new UncheckedIOException("worker " + rank + " lost its connection to the other workers (one of them failed?)", e);
        }
    }

    private void send(double[] total, int from, int count) throws IOException {
        try {
            wire.write(next.out(), total, from, count);
        } catch (IOException e) {
            // The next worker is gone; if it failed, its error is on its way round the ring to here.
            BackpropException cause = failureFromPrevious();
            if (cause != null) {
                throw cause;
            }
            throw e;
        }
    }

    /** Reads what is left on the previous worker's connection, for a while, looking for a failure. */
    private BackpropException failureFromPrevious() {
        try {
            previous.socket().setSoTimeout(CAUSE_TIMEOUT_MILLIS);
            double[] skipped = new double[CHUNK];
            while (true) {
                int count = previous.in().readInt();
                if (count == Wire.FAILED) {
                    return new BackpropException(SparkBackend.errorCode(previous.in().readUTF())
                            .orElse(dev.backprop.api.ErrorCode.CLUSTER_FAILED), previous.in().readUTF());
                }
                for (int left = count; left > 0; left -= Math.min(left, CHUNK)) {
                    for (int i = 0; i < Math.min(left, CHUNK); i++) {
                        skipped[i] = previous.in().readDouble();
                    }
                }
            }
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Sends the error to the next worker, then closes the connections: a failed worker stops the ring. */
    @Override
    public void abort(Throwable cause) {
        if (workers > 1) {
            Wire.fail(List.of(next), List.of(next, previous), cause, rank);
        }
    }

    @Override
    public void close() {
        if (workers > 1) {
            Wire.close(List.of(next, previous));
        }
    }
}
