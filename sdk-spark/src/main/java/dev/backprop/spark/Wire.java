package dev.backprop.spark;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The wire format the gradient exchanges share: a message is a value count and that many IEEE 754
 * doubles, little-endian (a plain copy on the usual hardware, and the same on every machine), or
 * {@link #FAILED} and a failed worker's error code id and message. Counts the bytes it moves.
 */
final class Wire {
    /** In place of a value count: an error follows (its code id and message). */
    static final int FAILED = -1;
    private static final int MAX_MESSAGE = 8_000;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private byte[] buffer = new byte[0];
    private long sent;
    private long received;

    /** One connection's streams. */
    record Peer(Socket socket, DataInputStream in, DataOutputStream out) {
        static Peer of(Socket socket) throws IOException {
            socket.setTcpNoDelay(true);
            return new Peer(socket, new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16)),
                    new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16)));
        }
    }

    /** @return the bytes written so far */
    long sent() {
        return sent;
    }

    /** @return the bytes read so far */
    long received() {
        return received;
    }

    /** Writes {@code values[from .. from + length)} as one message, and flushes. */
    void write(DataOutputStream out, double[] values, int from, int length) throws IOException {
        byte[] bytes = bytes(length);
        ByteBuffer.wrap(bytes).order(ORDER).asDoubleBuffer().put(values, from, length);
        out.writeInt(length);
        out.write(bytes, 0, length * Double.BYTES);
        out.flush();
        sent += Integer.BYTES + (long) length * Double.BYTES;
    }

    /**
     * Reads one message of exactly {@code length} values into {@code values[from ..]}.
     *
     * @throws BackpropException the error a failed worker sent in place of values
     */
    void read(DataInputStream in, double[] values, int from, int length) throws IOException {
        int count = in.readInt();
        received += Integer.BYTES;
        if (count == FAILED) {
            String code = in.readUTF();
            String message = in.readUTF();
            throw new BackpropException(SparkBackend.errorCode(code).orElse(ErrorCode.CLUSTER_FAILED), message);
        }
        if (count != length) {
            throw new IOException("a worker sent " + count + " values, expected " + length);
        }
        byte[] bytes = bytes(length);
        in.readFully(bytes, 0, length * Double.BYTES);
        ByteBuffer.wrap(bytes, 0, length * Double.BYTES).order(ORDER).asDoubleBuffer().get(values, from, length);
        received += (long) length * Double.BYTES;
    }

    private byte[] bytes(int doubles) {
        if (buffer.length < doubles * Double.BYTES) {
            buffer = new byte[doubles * Double.BYTES];
        }
        return buffer;
    }

    /**
     * @param address a barrier task's address, {@code host:port}
     * @return its host, where that worker listens
     */
    static String host(String address) {
        int colon = address.lastIndexOf(':');
        return colon > 0 ? address.substring(0, colon) : address;
    }

    /** Sends a worker's error to each peer, then closes every connection given. */
    static void fail(List<Peer> sendTo, List<Peer> close, Throwable cause, int rank) {
        String code = cause instanceof BackpropException known ? known.code().id() : ErrorCode.CLUSTER_FAILED.id();
        String message = cause instanceof BackpropException known ? known.detail() : "worker " + rank + " failed: " + cause;
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        for (Peer peer : sendTo) {
            try {
                peer.out().writeInt(FAILED);
                peer.out().writeUTF(code);
                peer.out().writeUTF(message);
                peer.out().flush();
            } catch (IOException ignored) {
                // that peer is gone already; closing below is all that is left
            }
        }
        close(close);
    }

    static void close(List<Peer> peers) {
        for (Peer peer : peers) {
            try {
                peer.socket().close();
            } catch (IOException ignored) {
                // closing is all that is left to do
            }
        }
    }
}
