package io.rnnstreams.model;

/**
 * The half conversions {@link HalfFloats} replaced, kept once for the two places that compare with them; in test scope,
 * so the application jar does not ship it (the benchmarks reach it through the engine's test-jar, branch tidy20).
 * {@code HalfFloatsTest} checks {@link HalfFloats} bit for bit against the formulation as first written
 * ({@link #toHalfScalb}, {@link #toDoubleScalb}: through {@link Math#scalb} and {@link Math#rint}) and the one branch
 * {@code tput18d} replaced ({@link #toHalfBranching}, {@link #toDoubleBranching}: the normal range's fraction rounded
 * with a compare of the dropped bits, a branch each for subnormals and for infinities and NaNs); the benchmarks'
 * {@code HalfFloatsBenchmark} times {@link HalfFloats} against the latter through {@code BenchmarkKernels}. All four
 * give the bits of {@link HalfFloats} for every input.
 */
final class HalfFloatsReference {
    private HalfFloatsReference() {
    }

    /** {@link HalfFloats#toHalf} as first written: the normal range's fraction by {@code scalb} and {@code rint}. */
    static short toHalfScalb(double v) {
        int bits = special(v);
        if (bits < 0) {
            double a = Math.abs(v);
            int e = Math.getExponent(a);
            bits = ((e + 15) << 10) + (int) Math.rint((Math.scalb(a, -e) - 1.0) * 1024.0);
        }
        return (short) (sign(v) | bits);
    }

    /** {@link HalfFloats#toHalf} before branch {@code tput18d}: the normal range rounded on the dropped bits. */
    static short toHalfBranching(double v) {
        int bits = special(v);
        if (bits < 0) {
            long raw = Double.doubleToRawLongBits(Math.abs(v));
            int e = (int) (raw >>> 52) - 1023;
            long mantissa = raw & ((1L << 52) - 1);
            long fraction = mantissa >>> 42;
            long rest = mantissa & ((1L << 42) - 1);
            if (rest > 1L << 41 || (rest == 1L << 41 && (fraction & 1) != 0)) {
                fraction++;
            }
            bits = ((e + 15) << 10) + (int) fraction;
        }
        return (short) (sign(v) | bits);
    }

    private static int sign(double v) {
        return Double.doubleToRawLongBits(v) < 0 ? 0x8000 : 0;
    }

    /**
     * The half's bits without the sign for NaN, infinities, finite values beyond the range (saturated) and values
     * below {@code 2^-14} (subnormals, rounded to the nearest even); -1 for the normal range.
     */
    private static int special(double v) {
        double a = Math.abs(v);
        if (Double.isNaN(v)) {
            return 0x7e00;
        } else if (Double.isInfinite(v)) {
            return 0x7c00;
        } else if (a >= 65520.0) {
            return 0x7bff;
        } else if (a < 0x1p-14) {
            return (int) Math.rint(a * 0x1p24);
        }
        return -1;
    }

    /** {@link HalfFloats#toDouble} as first written: every finite half by {@code scalb}. */
    static double toDoubleScalb(short h) {
        int bits = h & 0xffff;
        int exponent = (bits >>> 10) & 0x1f;
        int fraction = bits & 0x3ff;
        double magnitude = exponent == 0 ? Math.scalb((double) fraction, -24)
                : exponent == 31 ? (fraction == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                : Math.scalb((double) (1024 + fraction), exponent - 25);
        return (bits & 0x8000) != 0 ? -magnitude : magnitude;
    }

    /** {@link HalfFloats#toDouble} before branch {@code tput18d}: the normal exponent rebiased in the bits. */
    static double toDoubleBranching(short h) {
        int bits = h & 0xffff;
        int exponent = (bits >>> 10) & 0x1f;
        int fraction = bits & 0x3ff;
        double magnitude;
        if (exponent == 0) {
            magnitude = Math.scalb((double) fraction, -24);
        } else if (exponent == 31) {
            magnitude = fraction == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            return Double.longBitsToDouble(((long) (bits & 0x8000) << 48) | ((long) (exponent + 1008) << 52)
                    | ((long) fraction << 42));
        }
        return (bits & 0x8000) != 0 ? -magnitude : magnitude;
    }
}
