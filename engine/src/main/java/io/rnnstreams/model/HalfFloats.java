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
    /** Half the range of the 42 low fraction bits a half drops (the tie). */
    private static final long HALF_DROPPED = 1L << 41;
    /** The 42 low fraction bits of a double that a half drops. */
    private static final long DROPPED_BITS = (1L << 42) - 1;
    private static final long SIGN_BIT = 1L << 63;
    /** The bits of {@link #MIN_NORMAL} and {@link #OVERFLOW}: a non-negative double's bits order as its value. */
    private static final long MIN_NORMAL_BITS = Double.doubleToRawLongBits(MIN_NORMAL);
    private static final long OVERFLOW_BITS = Double.doubleToRawLongBits(OVERFLOW);
    /** 2^(1023 - 15): a half's bits read with a double's exponent bias, times this, are its value. */
    private static final double REBIAS_SCALE = 0x1p1008;
    /** A double's exponent bias less a half's (1023 - 15), at the half's exponent position. */
    private static final long REBIAS = 1008L << 10;

    private HalfFloats() {
    }

    /** {@code v} rounded to the nearest half, ties to even, finite values saturating at +-{@link #MAX}. */
    public static short toHalf(double v) {
        long raw = Double.doubleToRawLongBits(v);
        long magnitude = raw & ~SIGN_BIT;
        if (magnitude >= MIN_NORMAL_BITS && magnitude < OVERFLOW_BITS) {
            // the common case, a half's normal range, without branches: the magnitude's bits (exponent and the
            // fraction's top 10 bits over the 42 dropped ones) rounded to nearest, ties to even, by adding just
            // under half the dropped range plus the kept lowest bit; a carry out of the fraction moves the
            // exponent up by one (finite, since the magnitude is below 65520); then the exponent rebiased from
            // 1023 to 15. The same bits as the general path below.
            long rounded = (magnitude + (HALF_DROPPED - 1) + ((magnitude >>> 42) & 1)) >>> 42;
            return (short) (((raw >>> 48) & 0x8000) | (rounded - REBIAS));
        }
        return toHalfOutsideNormal(v);
    }

    /** {@link #toHalf} of a value outside the normal range: zero, subnormal, saturating, infinite or NaN. */
    private static short toHalfOutsideNormal(double v) {
        int sign = Double.doubleToRawLongBits(v) < 0 ? 0x8000 : 0;
        double a = Math.abs(v);
        int bits;
        if (Double.isNaN(v)) {
            bits = POSITIVE_NAN;
        } else if (Double.isInfinite(v)) {
            bits = POSITIVE_INFINITY;
        } else if (a >= OVERFLOW) {
            bits = POSITIVE_MAX;
        } else {
            // below the smallest normal: a multiple of 2^-24 (exact scaling; rint rounds half to even); 1024 is
            // the smallest normal, whose encoding follows the largest subnormal's
            bits = (int) Math.rint(a * 0x1p24);
        }
        return (short) (sign | bits);
    }

    /** The value of half {@code h}, exactly. */
    public static double toDouble(short h) {
        if ((h & POSITIVE_INFINITY) != POSITIVE_INFINITY) {
            // zero, subnormal or normal: the half's bits moved up 42 places (the sign 48) read as a double are
            // its value times 2^(15 - 1023) (a normal half's exponent field read with a double's bias; a
            // subnormal's fraction as a double's subnormal fraction), and the product by 2^1008 is exact
            return Double.longBitsToDouble(((long) (h & 0x8000) << 48) | ((long) (h & 0x7fff) << 42)) * REBIAS_SCALE;
        }
        double magnitude = (h & 0x3ff) == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        return (h & 0x8000) != 0 ? -magnitude : magnitude;
    }

    /**
     * {@code v} as it reads back from a half: {@code toDouble(toHalf(v))}, bit for bit. In a half's normal range
     * without the half itself: {@link #toHalf}'s rounding of the 42 fraction bits a half drops, made on the double's
     * own bits (a carry out of the fraction moves the exponent up by one, as there; the sign is untouched, as the
     * magnitude is far below the exponent's top), and the dropped bits cleared: the double that {@link #toDouble}
     * makes of that half, without the exponent's rebias and back.
     */
    public static double round(double v) {
        long raw = Double.doubleToRawLongBits(v);
        long magnitude = raw & ~SIGN_BIT;
        if (magnitude >= MIN_NORMAL_BITS && magnitude < OVERFLOW_BITS) {
            return Double.longBitsToDouble((raw + (HALF_DROPPED - 1) + ((raw >>> 42) & 1)) & ~DROPPED_BITS);
        }
        return toDouble(toHalfOutsideNormal(v));
    }

    /**
     * Rounds every number of {@code a} in place to the half it reads back from ({@link #round}): what writing
     * {@code a} as halves and reading it back leaves in it, without the halves' copy.
     */
    public static void round(double[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = round(a[i]);
        }
    }
}
