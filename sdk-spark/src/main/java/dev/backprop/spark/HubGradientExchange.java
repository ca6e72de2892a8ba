package dev.backprop.spark;

import dev.backprop.api.BackpropException;
import dev.backprop.core.training.GradientExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.BarrierTaskInfo;

/**
 * Gradient sums between the tasks of a Spark barrier stage, over direct TCP connections to worker 0
 * (the hub). The stage's {@link BarrierTaskContext#allGather} is used once, to tell every task the hub's
 * address and a one-time token; it is not used per step because Spark 4.0 polls barrier syncs once a
 * second, which would cost about half a second per step. Each step, every other worker sends its values
 * to the hub, which adds them in rank order and sends the total back: every worker gets the same bits.
 *
 * <p>A worker that fails sends its error instead of values; the hub passes it on, so every worker stops
 * with the same error and the driver reports the cause, not a lost connection.
 *
 * <p>Values travel as their IEEE 754 bits, so nothing is rounded on the way. Connections carry only
 * numbers, and the hub accepts only peers that present the token; like Spark's own RPC without
 * authentication, it expects the cluster's private network.
 */
final class HubGradientExchange implements GradientExchange, AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 60_000;
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final int rank;
    private final int workers;
    /** At the hub: one connection per other worker, index {@code rank - 1}. Elsewhere: the one to the hub. */
    private final List<Wire.Peer> peers;
    private final Wire wire = new Wire();
    /** At the hub: one other worker's values, reused every step. */
    private double[] incoming = new double[0];

    private HubGradientExchange(int rank, int workers, List<Wire.Peer> peers) {
        this.rank = rank;
        this.workers = workers;
        this.peers = peers;
    }

    /**
     * Connects the workers of the current barrier stage. Every task of the stage must call this.
     *
     * @param context the task's barrier context
     * @return this task's exchange
     */
    static HubGradientExchange connect(BarrierTaskContext context) {
        BarrierTaskInfo[] tasks = context.getTaskInfos();
        return connect(context.partitionId(), tasks.length, Wire.host(tasks[0].address()), context::allGather);
    }

    /**
     * Connects {@code workers} workers; each calls this with its rank.
     *
     * @param rank this worker's rank
     * @param workers how many workers there are
     * @param hubHost the address worker 0 listens on
     * @param allGather sends this worker's message and returns every worker's, by rank (called once)
     * @return this worker's exchange
     */
    static HubGradientExchange connect(int rank, int workers, String hubHost, Function<String, String[]> allGather) {
        if (workers == 1) {
            return new HubGradientExchange(0, 1, List.of());
        }
        try {
            if (rank == 0) {
                try (ServerSocket server = new ServerSocket()) {
                    server.bind(new InetSocketAddress(hubHost, 0));
                    String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
                    allGather.apply(server.getInetAddress().getHostAddress() + " " + server.getLocalPort() + " " + token);
                    return new HubGradientExchange(0, workers, accept(server, workers, token));
                }
            }
            String[] hub = allGather.apply("")[0].split(" ");
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(hub[0], Integer.parseInt(hub[1])), CONNECT_TIMEOUT_MILLIS);
            Wire.Peer peer = Wire.Peer.of(socket);
            peer.out().writeUTF(hub[2]);
            peer.out().writeInt(rank);
            peer.out().flush();
            return new HubGradientExchange(rank, workers, List.of(peer));
        } catch (IOException e) {
            throw new IllegalStateException("worker " + rank + " of " + workers + " could not connect to the others: " + e, e);
        }
    }

    /** Accepts the other workers; a connection without the token, or silent for too long, is closed and ignored. */
    private static List<Wire.Peer> accept(ServerSocket server, int workers, String token) throws IOException {
        Wire.Peer[] byRank = new Wire.Peer[workers - 1];
        server.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
        for (int connected = 0; connected < workers - 1;) {
            Socket socket = server.accept();
            try {
                Wire.Peer peer = Wire.Peer.of(socket);
                socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
                String offered = peer.in().readUTF();
                int peerRank = peer.in().readInt();
                if (offered.equals(token) && peerRank >= 1 && peerRank < workers && byRank[peerRank - 1] == null) {
                    socket.setSoTimeout(0); // from here the hub waits as long as the slowest worker computes
                    byRank[peerRank - 1] = peer;
                    connected++;
                    continue;
                }
            } catch (IOException e) {
                // not one of this stage's workers: closed below
            }
            socket.close();
        }
        return List.of(byRank);
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
    public double[] sumInRankOrder(double[] values) {
        if (workers == 1) {
            return values.clone();
        }
        try {
            if (rank == 0) {
                // Worker 0's values, then each other worker's added as it arrives, in rank order.
                double[] total = values.clone();
                double[] incoming = incoming(values.length);
                for (Wire.Peer peer : peers) {
                    read(peer, incoming);
                    for (int i = 0; i < total.length; i++) {
                        total[i] += incoming[i];
                    }
                }
                for (Wire.Peer peer : peers) {
                    wire.write(peer.out(), total, 0, total.length);
                }
                return total;
            }
            Wire.Peer hub = peers.get(0);
            wire.write(hub.out(), values, 0, values.length);
            double[] total = new double[values.length];
            read(hub, total);
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException("worker " + rank + " lost its connection to the other workers (one of them failed?)", e);
        }
    }

    /** Reads one worker's values, or throws the error a failed worker sent instead, after passing it on. */
    private void read(Wire.Peer peer, double[] values) throws IOException {
        try {
            wire.read(peer.in(), values, 0, values.length);
        } catch (BackpropException failure) {
            abort(failure); // pass it on: the hub to the other workers
            throw failure;
        }
    }

    @Override
    public long bytesSent() {
        return wire.sent();
    }

    @Override
    public long bytesReceived() {
        return wire.received();
    }

    private double[] incoming(int length) {
        if (incoming.length != length) {
            incoming = new double[length];
        }
        return incoming;
    }

    /** Sends the error to the peers, then closes the connections: a failed worker stops the stage. */
    @Override
    public void abort(Throwable cause) {
        Wire.fail(peers, peers, cause, rank);
    }

    @Override
    public void close() {
        Wire.close(peers);
    }
}
