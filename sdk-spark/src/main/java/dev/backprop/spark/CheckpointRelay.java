package dev.backprop.spark;

import dev.backprop.core.cluster.StateData;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's end of a distributed run's checkpoints: the first worker sends each snapshot here, where
 * the driver writes it, and every worker that starts (the first attempt, or Spark's retry after a lost
 * executor) asks here for the newest snapshot to continue from. A TCP server on the driver, accepting
 * only connections that present the run's one-time token; snapshots travel as numbers and strings.
 */
final class CheckpointRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointRelay.class);
    private static final int FETCH = 1;
    private static final int SAVE = 2;
    private static final int TIMEOUT_MILLIS = 60_000;

    private final ServerSocket server;
    private final Address address;
    private final Consumer<StateData> sink;
    private final Thread acceptor;
    private final BooleanSupplier holdAfterSave;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile StateData latest;

    /** Where the workers find the relay. */
    record Address(String host, int port, String token) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** @return the newest snapshot, or {@code null} if there is none */
        StateData fetch() {
            try (Socket socket = connect()) {
                DataOutputStream out = output(socket);
                out.writeInt(FETCH);
                out.flush();
                DataInputStream in = input(socket);
                return in.readBoolean() ? StateData.readFrom(in) : null;
            } catch (IOException e) {
                throw new UncheckedIOException("could not fetch the newest checkpoint from the driver at " + host + ":" + port, e);
            }
        }

        /** Sends a snapshot and waits until the driver has written it. */
        void save(StateData state) {
            try (Socket socket = connect()) {
                DataOutputStream out = output(socket);
                out.writeInt(SAVE);
                state.writeTo(out);
                out.flush();
                if (!input(socket).readBoolean()) {
                    throw new IOException("the driver could not write the checkpoint");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not send a checkpoint to the driver at " + host + ":" + port, e);
            }
        }

        private Socket connect() throws IOException {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            DataOutputStream out = output(socket);
            out.writeUTF(token);
            out.flush();
            return socket;
        }
    }

    /**
     * @param host the driver's address, which the executors can reach
     * @param resume the snapshot the run starts from, or {@code null}
     * @param sink writes each snapshot the first worker sends
     * @param holdAfterSave asked after each snapshot is written: when it answers {@code true} (a stop was requested)
     *     the first worker is not answered until the relay closes, so the run stops at exactly that checkpoint
     *     instead of training on while the job is cancelled
     */
    CheckpointRelay(String host, StateData resume, Consumer<StateData> sink, BooleanSupplier holdAfterSave) {
        try {
            this.server = new ServerSocket();
            server.bind(new InetSocketAddress(host, 0));
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the checkpoint relay on " + host, e);
        }
        this.address = new Address(server.getInetAddress().getHostAddress(), server.getLocalPort(),
                HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));
        this.latest = resume;
        this.sink = sink;
        this.holdAfterSave = holdAfterSave;
        this.acceptor = new Thread(this::serve, "backprop-checkpoint-relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Address address() {
        return address;
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(TIMEOUT_MILLIS);
                DataInputStream in = input(socket);
                if (!in.readUTF().equals(address.token())) {
                    continue; // not one of this run's workers
                }
                DataOutputStream out = output(socket);
                int request = in.readInt();
                if (request == FETCH) {
                    StateData state = latest;
                    out.writeBoolean(state != null);
                    if (state != null) {
                        state.writeTo(out);
                    }
                } else if (request == SAVE) {
                    StateData state = StateData.readFrom(in);
                    boolean written = false;
                    try {
                        sink.accept(state);
                        latest = state;
                        written = true;
                    } catch (RuntimeException e) {
                        LOG.error("Could not write a checkpoint: {}", e.getMessage(), e);
                    }
                    if (written && holdAfterSave.getAsBoolean()) {
                        LOG.info("Stop requested: the workers are held at the checkpoint of epoch {} while the job is cancelled",
                                state.epoch());
                        closed.await(); // the job is cancelled, then this relay closed; the worker then sees its connection end
                        return;
                    }
                    out.writeBoolean(written);
                }
                out.flush();
            } catch (SocketException e) {
                if (server.isClosed()) {
                    return;
                }
                LOG.debug("checkpoint relay: {}", e.toString());
            } catch (IOException e) {
                LOG.debug("checkpoint relay: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static DataInputStream input(Socket socket) throws IOException {
        return new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
    }

    private static DataOutputStream output(Socket socket) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing is all that is left
        }
    }
}
