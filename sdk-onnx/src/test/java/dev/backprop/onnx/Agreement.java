package dev.backprop.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Compares ONNX Runtime's outputs with the SDK's. The error of one value is {@code |onnx - sdk| /
 * max(|sdk|, 1)}: relative for values of magnitude 1 and more, absolute below (a value that is nearly 0
 * after cancellation has no meaningful relative error at float32). The pure relative error over values
 * with {@code |sdk| >= 1e-3} is measured as well.
 */
final class Agreement {
    double maxError;
    double maxPureRelative;
    long values;

    void add(double[][] onnx, double[][] sdk) {
        if (onnx.length != sdk.length) {
            throw new AssertionError("ONNX Runtime gave " + onnx.length + " rows, the SDK " + sdk.length);
        }
        for (int r = 0; r < sdk.length; r++) {
            if (onnx[r].length != sdk[r].length) {
                throw new AssertionError("row " + r + ": ONNX Runtime gave " + onnx[r].length + " values, the SDK " + sdk[r].length);
            }
            for (int c = 0; c < sdk[r].length; c++) {
                double diff = Math.abs(onnx[r][c] - sdk[r][c]);
                if (Double.isNaN(diff)) {
                    throw new AssertionError("row " + r + " column " + c + ": " + onnx[r][c] + " vs " + sdk[r][c]);
                }
                maxError = Math.max(maxError, diff / Math.max(Math.abs(sdk[r][c]), 1));
                if (Math.abs(sdk[r][c]) >= 1e-3) {
                    maxPureRelative = Math.max(maxPureRelative, diff / Math.abs(sdk[r][c]));
                }
                values++;
            }
        }
    }

    /** Appends a line to {@code target/onnx-agreement.txt}, the measurements quoted in docs/onnx.md. */
    void report(String what) {
        String line = String.format(java.util.Locale.ROOT, "%-40s values %8d  max error %.3e  max relative (|y| >= 1e-3) %.3e%n",
                what, values, maxError, maxPureRelative);
        System.out.print(line);
        try {
            Files.writeString(Path.of("target", "onnx-agreement.txt"), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
