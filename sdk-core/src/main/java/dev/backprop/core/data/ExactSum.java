package dev.backprop.core.data;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The exact sum of finite doubles, whatever order they are added in and however the additions are split
 * and {@linkplain #merge merged}: a fixed-point accumulator over the whole double range (32 bits per limb,
 * from 2^-1074 up), so that column statistics computed row by row in one JVM and partition by partition
 * on a cluster are the same numbers.
 *
 * @serial exclude
 */
public final class ExactSum implements Serializable {
    private static final long serialVersionUID = 1L;
    /** 2^-1074 .. 2^1024 is 2098 bits: 66 limbs, two more for carries. */
    private static final int LIMBS = 68;
    /** Each add puts less than 2^32 into a limb; fold the carries before 2^62 could be reached. */
    private static final int FOLD_EVERY = 1 << 29;
    private static final BigDecimal UNIT = new BigDecimal(Double.MIN_VALUE); // 2^-1074, exactly

    private final long[] limbs = new long[LIMBS];
    private int sinceFold;

    /**
     * @param value a finite value
     * @throws IllegalArgumentException if it is NaN or infinite
     */
    public void add(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not a finite value: " + value);
        }
        if (value == 0) {
            return;
        }
        long bits = Double.doubleToRawLongBits(value);
        int exponent = (int) ((bits >>> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) {
            exponent = 1; // subnormal
        } else {
            mantissa |= 1L << 52;
        }
        int shift = exponent - 1; // value = mantissa * 2^(shift - 1074)
        int limb = shift >>> 5;
        int offset = shift & 31;
        long low = (mantissa & 0xFFFFFFFFL) << offset; // at most 63 bits
        long high = (mantissa >>> 32) << offset; // at most 52 bits
        long sign = bits < 0 ? -1 : 1;
        limbs[limb] += sign * (low & 0xFFFFFFFFL);
        limbs[limb + 1] += sign * ((low >>> 32) + (high & 0xFFFFFFFFL));
        limbs[limb + 2] += sign * (high >>> 32);
        if (++sinceFold >= FOLD_EVERY) {
            fold();
        }
    }

    /**
     * Adds {@code a * b} exactly (the product and its rounding error, found with a fused multiply-add).
     *
     * @param a a finite value
     * @param b a finite value
     */
    public void addProduct(double a, double b) {
        double product = a * b;
        add(product);
        add(Math.fma(a, b, -product));
    }

    /**
     * @param other another sum, added into this one
     */
    public void merge(ExactSum other) {
        other.fold();
        fold();
        for (int i = 0; i < LIMBS; i++) {
            limbs[i] += other.limbs[i];
        }
        fold();
    }

    /** Moves each limb's carry into the next, leaving each limb within 32 bits (plus its sign). */
    private void fold() {
        for (int i = 0; i < LIMBS - 1; i++) {
            long carry = limbs[i] >> 32;
            limbs[i] -= carry << 32;
            limbs[i + 1] += carry;
        }
        sinceFold = 0;
    }

    /** @return the sum, exactly */
    public BigDecimal value() {
        BigInteger total = BigInteger.ZERO;
        for (int i = LIMBS - 1; i >= 0; i--) {
            total = total.shiftLeft(32).add(BigInteger.valueOf(limbs[i]));
        }
        return new BigDecimal(total).multiply(UNIT);
    }
}
