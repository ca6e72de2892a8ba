package dev.backprop.core.data;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.training.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small generated classification problems, reproducible from a seed:
 * <ul>
 *   <li>{@code xor}: the four corners of the unit square, target 1 where exactly one input is 1
 *       (repeated to {@code samples} examples, with optional Gaussian noise on the inputs); one sigmoid
 *       output, classes 0 and 1;</li>
 *   <li>{@code spirals}: {@code classes} interleaved spiral arms in the plane; one-hot targets;</li>
 *   <li>{@code circles}: two concentric circles of radius 1 and 0.5; one-hot targets.</li>
 * </ul>
 */
public final class SyntheticData {
    /** The synthetic datasets. */
    public static final List<String> KINDS = List.of("xor", "spirals", "circles");
    /** The most examples a synthetic dataset has. */
    public static final int MAX_SAMPLES = 10_000_000;

    private SyntheticData() {
    }

    /**
     * @param kind {@code xor}, {@code spirals} or {@code circles}
     * @param samples the number of examples
     * @param classes the number of spiral arms (spirals only)
     * @param noise the standard deviation of Gaussian noise added to each coordinate
     * @param seed the seed
     * @return the examples
     */
    public static LabelledData generate(String kind, int samples, int classes, double noise, long seed) {
        java.util.Objects.requireNonNull(kind, "kind must not be null");
        if (!KINDS.contains(kind)) {
            throw new BackpropException(ErrorCode.DATA_INVALID, "unknown synthetic dataset '" + kind + "'; available: "
                    + String.join(", ", KINDS) + ".");
        }
        if (samples < 1 || samples > MAX_SAMPLES) {
            throw new BackpropException(ErrorCode.DATA_INVALID, "a synthetic dataset has 1.." + MAX_SAMPLES + " samples, got "
                    + samples + ".");
        }
        if (kind.equals("spirals") && (classes < 2 || classes > samples)) {
            throw new BackpropException(ErrorCode.DATA_INVALID, "spirals need 2.." + samples + " classes (at most one per "
                    + "sample), got " + classes + ".");
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new BackpropException(ErrorCode.DATA_INVALID, "the noise must be a finite number >= 0, got " + noise + ".");
        }
        SplittableRandom random = new SplittableRandom(seed);
        return switch (kind) {
            case "xor" -> xor(samples, noise, random);
            case "spirals" -> spirals(samples, classes, noise, random);
            case "circles" -> circles(samples, noise, random);
            default -> throw new IllegalStateException(kind);
        };
    }

    private static LabelledData xor(int samples, double noise, SplittableRandom random) {
        double[][] x = new double[samples][2];
        double[][] y = new double[samples][1];
        for (int i = 0; i < samples; i++) {
            int a = (i >> 1) & 1;
            int b = i & 1;
            x[i][0] = a + noise * random.nextGaussian();
            x[i][1] = b + noise * random.nextGaussian();
            y[i][0] = a ^ b;
        }
        return new LabelledData(Dataset.of(x, y), List.of("x1", "x2"), List.of("xor"), List.of("0", "1"), "xor");
    }

    private static LabelledData spirals(int samples, int classes, double noise, SplittableRandom random) {
        double[][] x = new double[samples][2];
        double[][] y = new double[samples][classes];
        for (int i = 0; i < samples; i++) {
            int k = i % classes;
            double t = (double) (i / classes) / Math.max(1, (samples + classes - 1) / classes - 1); // 0..1 along the arm
            double radius = t;
            double angle = 2 * Math.PI * k / classes + 4.0 * t;
            x[i][0] = radius * Math.sin(angle) + noise * random.nextGaussian();
            x[i][1] = radius * Math.cos(angle) + noise * random.nextGaussian();
            y[i][k] = 1.0;
        }
        return new LabelledData(Dataset.of(x, y), List.of("x1", "x2"), classNames(classes), classNames(classes), "class");
    }

    private static LabelledData circles(int samples, double noise, SplittableRandom random) {
        double[][] x = new double[samples][2];
        double[][] y = new double[samples][2];
        for (int i = 0; i < samples; i++) {
            int k = i % 2;
            double radius = k == 0 ? 1.0 : 0.5;
            double angle = 2 * Math.PI * random.nextDouble();
            x[i][0] = radius * Math.cos(angle) + noise * random.nextGaussian();
            x[i][1] = radius * Math.sin(angle) + noise * random.nextGaussian();
            y[i][k] = 1.0;
        }
        return new LabelledData(Dataset.of(x, y), List.of("x1", "x2"), List.of("outer", "inner"), List.of("outer", "inner"), "class");
    }

    private static List<String> classNames(int classes) {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add(Integer.toString(k));
        }
        return names;
    }
}
