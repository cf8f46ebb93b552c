package io.rnnstreams.model;

/**
 * IEEE 754 binary16 ("half") numbers held in a {@code short}: 1 sign bit, 5 exponent bits (bias 15), 10 fraction
 * bits; normal numbers from 2^-14 to 65504 with a relative spacing of 2^-10, subnormals down to 2^-24. For state
 * whose precision need not exceed about 3 decimal digits (a recurrent state, a window of standardised inputs),
 * stored in a quarter of a double's bytes. The JDK has these conversions from version 20
 * ({@code Float.floatToFloat16}); this build targets 17.
 *
 * <p>{@link #toHalf} rounds a double to the nearest half, ties to even (directly, not through a float, so there is
 * no double rounding), except that a finite value beyond the largest half rounds to the largest half of its sign
 * (65504) instead of to an infinity: a state stored this way stays finite. Infinities stay infinite, NaN stays NaN
 * (0x7e00, sign kept). {@link #toDouble} is exact. Every half survives {@code toHalf(toDouble(h))} unchanged
 * (NaN payloads become 0x7e00), so a state kept in half between readings round-trips bit for bit. Stateless.
 */
public final class HalfFloats {
    /** The largest finite half, 65504. */
    public static final double MAX = 65504.0;

    private static final short POSITIVE_MAX = 0x7bff;
    private static final short POSITIVE_INFINITY = 0x7c00;
    private static final short POSITIVE_NAN = 0x7e00;
    /** Halfway between the largest half and 2^16: at and beyond it, rounding to nearest would overflow. */
    private static final double OVERFLOW = 65520.0;
    private static final double MIN_NORMAL = 0x1p-14;
    /** A double's 52 fraction bits. */
    private static final long FRACTION_BITS = (1L << 52) - 1;
    /** The 42 low fraction bits a half drops, and half their range (the tie). */
    private static final long DROPPED_BITS = (1L << 42) - 1;
    private static final long HALF_DROPPED = 1L << 41;

    private HalfFloats() {
    }

    /** {@code v} rounded to the nearest half, ties to even, finite values saturating at +-{@link #MAX}. */
    public static short toHalf(double v) {
        int sign = Double.doubleToRawLongBits(v) < 0 ? 0x8000 : 0;
        double a = Math.abs(v);
        int bits;
        if (Double.isNaN(v)) {
            bits = POSITIVE_NAN;
        } else if (Double.isInfinite(v)) {
            bits = POSITIVE_INFINITY;
        } else if (a >= OVERFLOW) {
            bits = POSITIVE_MAX;
        } else if (a < MIN_NORMAL) {
            // subnormal: a multiple of 2^-24 (exact scaling; rint rounds half to even); 1024 is the smallest
            // normal, whose encoding follows the largest subnormal's
            bits = (int) Math.rint(a * 0x1p24);
        } else {
            // a is a normal double: its 52 fraction bits rounded to the half's 10, to nearest, ties to even (what
            // rint((a / 2^e - 1) * 1024) gives, from the bits); a carry of 1024 moves the exponent up by one, and
            // stays finite because a < 65520
            long raw = Double.doubleToRawLongBits(a);
            int e = (int) (raw >>> 52) - 1023;
            long mantissa = raw & FRACTION_BITS;
            long fraction = mantissa >>> 42;
            long rest = mantissa & DROPPED_BITS;
            if (rest > HALF_DROPPED || (rest == HALF_DROPPED && (fraction & 1) != 0)) {
                fraction++;
            }
            bits = ((e + 15) << 10) + (int) fraction;
        }
        return (short) (sign | bits);
    }

    /** The value of half {@code h}, exactly. */
    public static double toDouble(short h) {
        int bits = h & 0xffff;
        int exponent = (bits >>> 10) & 0x1f;
        int fraction = bits & 0x3ff;
        double magnitude;
        if (exponent == 0) {
            magnitude = Math.scalb((double) fraction, -24);
        } else if (exponent == 31) {
            magnitude = fraction == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            // a normal half is a normal double: sign, exponent rebiased from 15 to 1023, fraction moved up 42 bits
            return Double.longBitsToDouble(((long) (bits & 0x8000) << 48) | ((long) (exponent + 1008) << 52)
                    | ((long) fraction << 42));
        }
        return (bits & 0x8000) != 0 ? -magnitude : magnitude;
    }

    /** {@code v} as it reads back from a half: {@code toDouble(toHalf(v))}. */
    public static double round(double v) {
        return toDouble(toHalf(v));
    }
}
