package dev.backprop.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A stream that remembers the first write or flush that failed, and why. {@link java.io.PrintStream} and
 * {@link java.io.PrintWriter} swallow the reason ({@code checkError()} says only that something failed),
 * but a command whose output was lost must say why ({@code no space left on device}) and fail.
 */
final class CheckedOutput extends FilterOutputStream {
    private volatile IOException failure;

    CheckedOutput(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        try {
            out.write(bytes, offset, length);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private IOException failed(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    /** @return the first failure, or {@code null} if every write so far reached the stream */
    IOException failure() {
        return failure;
    }
}
