package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** IEEE binary16 conversions: exact decoding, round to nearest even, saturation, and every half round-trips. */
class HalfFloatsTest {
    private static int bits(double v) {
        return HalfFloats.toHalf(v) & 0xffff;
    }

    @Test
    void knownValuesDecodeAndEncodeExactly() {
        assertEquals(0x3c00, bits(1.0));
        assertEquals(0xbc00, bits(-1.0));
        assertEquals(0x4000, bits(2.0));
        assertEquals(0x3555, bits(1.0 / 3));
        assertEquals(0x7bff, bits(65504.0));
        assertEquals(0x0400, bits(0x1p-14)); // smallest normal
        assertEquals(0x0001, bits(0x1p-24)); // smallest subnormal
        assertEquals(0x03ff, bits(0x3ffp-24)); // largest subnormal
        assertEquals(0x0000, bits(0.0));
        assertEquals(0x8000, bits(-0.0));
        assertEquals(0x7c00, bits(Double.POSITIVE_INFINITY));
        assertEquals(0xfc00, bits(Double.NEGATIVE_INFINITY));
        assertEquals(0x7e00, bits(Double.NaN));
        assertEquals(1.0, HalfFloats.toDouble((short) 0x3c00));
        assertEquals(-2.0, HalfFloats.toDouble((short) 0xc000));
        assertEquals(65504.0, HalfFloats.toDouble((short) 0x7bff));
        assertEquals(0x1p-24, HalfFloats.toDouble((short) 0x0001));
        assertEquals(0x3ffp-24, HalfFloats.toDouble((short) 0x03ff));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(HalfFloats.toDouble((short) 0x8000)));
        assertEquals(Double.NEGATIVE_INFINITY, HalfFloats.toDouble((short) 0xfc00));
        assertTrue(Double.isNaN(HalfFloats.toDouble((short) 0x7e01)));
    }

    @Test
    void everyHalfRoundTrips() {
        for (int h = 0; h < 0x10000; h++) {
            double v = HalfFloats.toDouble((short) h);
            int exponent = (h >>> 10) & 0x1f;
            int expected = exponent == 31 && (h & 0x3ff) != 0 ? (h & 0x8000) | 0x7e00 : h;
            assertEquals(expected, bits(v), "half 0x" + Integer.toHexString(h));
            assertEquals(v, (double) (float) v, 0.0, "every half is a float");
        }
    }

    /** Between two neighbouring halves: below the midpoint down, above it up, at it to the even one. */
    @Test
    void roundsToNearestTiesToEven() {
        for (int h = 0; h < 0x7bff; h++) {
            double low = HalfFloats.toDouble((short) h);
            double high = HalfFloats.toDouble((short) (h + 1));
            double middle = (low + high) / 2; // exact in double
            int even = (h & 1) == 0 ? h : h + 1;
            assertEquals(even, bits(middle), "midpoint above 0x" + Integer.toHexString(h));
            assertEquals(h, bits(Math.nextDown(middle)), "just below the midpoint above 0x" + Integer.toHexString(h));
            assertEquals(h + 1, bits(Math.nextUp(middle)), "just above the midpoint above 0x" + Integer.toHexString(h));
            assertEquals(even | 0x8000, bits(-middle), "negative midpoint");
        }
    }

    /** Against a brute-force nearest search: random doubles over the whole range, and the error bound. */
    @Test
    void agreesWithTheNearestHalf() {
        Random random = new Random(5);
        for (int i = 0; i < 200_000; i++) {
            double v = Math.scalb(random.nextDouble() * 2 - 1, random.nextInt(42) - 26);
            int h = bits(v);
            double rounded = HalfFloats.toDouble((short) h);
            double error = Math.abs(v - rounded);
            int neighbour = (h & 0x7fff) == 0 ? 0x0001 | (h & 0x8000) : h + 1;
            double other = HalfFloats.toDouble((short) neighbour);
            double otherDown = (h & 0x7fff) == 0 ? other : HalfFloats.toDouble((short) (h - 1));
            assertTrue(error <= Math.abs(v - other) && error <= Math.abs(v - otherDown),
                    v + " rounded to " + rounded);
            assertTrue(Math.abs(v) < 0x1p-14 ? error <= 0x1p-25 : error <= Math.abs(v) * 0x1p-11,
                    "relative error of " + v);
        }
    }

    /** The conversion as first written ({@link HalfFloatsReference#toHalfScalb}): the bit-level one must agree. */
    private static int referenceBits(double v) {
        return HalfFloatsReference.toHalfScalb(v) & 0xffff;
    }

    private static double referenceDouble(int bits) {
        return HalfFloatsReference.toDoubleScalb((short) bits);
    }

    /**
     * The variant branch {@code tput18d} replaced ({@link HalfFloatsReference#toHalfBranching}, the benchmark's
     * baseline) gives the same bits: every half decoded, and encoded from random doubles of every kind and from the
     * halves' midpoints.
     */
    @Test
    void theVariantTheBenchmarkComparesWithGivesTheSameBits() {
        for (int h = 0; h < 0x10000; h++) {
            assertEquals(Double.doubleToRawLongBits(HalfFloats.toDouble((short) h)),
                    Double.doubleToRawLongBits(HalfFloatsReference.toDoubleBranching((short) h)),
                    "half 0x" + Integer.toHexString(h));
        }
        Random random = new Random(1819);
        for (int i = 0; i < 1_000_000; i++) {
            double v = i % 2 == 0 ? Double.longBitsToDouble(random.nextLong())
                    : Math.scalb((double) (random.nextInt(1 << 13) - (1 << 12)), random.nextInt(40) - 30);
            assertEquals(bits(v), HalfFloatsReference.toHalfBranching(v) & 0xffff, "value " + v);
        }
    }

    @Test
    void agreesBitForBitWithTheScalbFormulation() {
        for (int h = 0; h < 0x10000; h++) {
            assertEquals(Double.doubleToRawLongBits(referenceDouble(h)),
                    Double.doubleToRawLongBits(HalfFloats.toDouble((short) h)), "half 0x" + Integer.toHexString(h));
        }
        Random random = new Random(18);
        for (int i = 0; i < 2_000_000; i++) {
            // random bit patterns near the half range, and random values with few fraction bits (ties)
            double v = i % 2 == 0 ? Math.scalb(random.nextDouble() * 2 - 1, random.nextInt(50) - 30)
                    : Math.scalb((double) (random.nextInt(1 << 13) - (1 << 12)), random.nextInt(40) - 30);
            assertEquals(referenceBits(v), bits(v), "value " + v);
        }
    }

    /**
     * The branch-free rounding of the normal range against the reference over every kind of double: random bit
     * patterns (every exponent, subnormals, infinities, NaNs), a sweep of float bit patterns, and the neighbours of
     * each half, of each midpoint between halves and of the range's edges (2^-14, 65504, 65520) a few ulps either
     * side.
     */
    @Test
    void agreesWithTheReferenceOverEveryKindOfDouble() {
        Random random = new Random(1818);
        for (int i = 0; i < 2_000_000; i++) {
            double v = Double.longBitsToDouble(random.nextLong());
            assertEquals(referenceBits(v), bits(v), "bits 0x" + Long.toHexString(Double.doubleToRawLongBits(v)));
        }
        for (long f = 0; f < 1L << 32; f += 4093) {
            double v = Float.intBitsToFloat((int) f);
            assertEquals(referenceBits(v), bits(v), "float bits 0x" + Long.toHexString(f));
        }
        java.util.List<Double> centres = new java.util.ArrayList<>(java.util.List.of(0x1p-14, 65504.0, 65520.0,
                0x1p-24, 0x1p-25, Double.MIN_NORMAL));
        for (int h = 0; h < 0x7bff; h++) {
            double low = HalfFloats.toDouble((short) h);
            centres.add(low);
            centres.add((low + HalfFloats.toDouble((short) (h + 1))) / 2);
        }
        for (double centre : centres) {
            {
                double v = centre;
                double w = centre;
                for (int ulps = 0; ulps < 4; ulps++, v = Math.nextUp(v), w = Math.nextDown(w)) {
                    for (double x : new double[] {v, -v, w, -w}) {
                        assertEquals(referenceBits(x), bits(x), "value " + x);
                    }
                }
            }
        }
    }

    /** {@code round(v)} (and its in-place form over an array) is {@code toDouble(toHalf(v))} bit for bit. */
    @Test
    void roundIsTheRoundTripOverEveryKindOfDouble() {
        Random random = new Random(18180);
        java.util.List<Double> values = new java.util.ArrayList<>(java.util.List.of(0x1p-14, 65504.0, 65520.0,
                0x1p-24, 0x1p-25, Double.MIN_NORMAL, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
                Double.longBitsToDouble(0x7ff0000000000001L), Double.longBitsToDouble(0xfff8000000000123L)));
        for (int i = 0; i < 1_000_000; i++) {
            values.add(Double.longBitsToDouble(random.nextLong()));
            values.add(Math.scalb(random.nextDouble() * 2 - 1, random.nextInt(50) - 30));
            values.add(Math.scalb((double) (random.nextInt(1 << 13) - (1 << 12)), random.nextInt(40) - 30));
        }
        for (long f = 0; f < 1L << 32; f += 4093) {
            values.add((double) Float.intBitsToFloat((int) f));
        }
        for (int h = 0; h < 0x7bff; h++) {
            double low = HalfFloats.toDouble((short) h);
            double mid = (low + HalfFloats.toDouble((short) (h + 1))) / 2;
            for (double centre : new double[] {low, mid}) {
                double v = centre;
                double w = centre;
                for (int ulps = 0; ulps < 4; ulps++, v = Math.nextUp(v), w = Math.nextDown(w)) {
                    values.add(v);
                    values.add(-v);
                    values.add(w);
                    values.add(-w);
                }
            }
        }
        double[] array = new double[values.size()];
        for (int i = 0; i < array.length; i++) {
            double v = values.get(i);
            array[i] = v;
            assertEquals(Double.doubleToRawLongBits(HalfFloats.toDouble(HalfFloats.toHalf(v))),
                    Double.doubleToRawLongBits(HalfFloats.round(v)),
                    "bits 0x" + Long.toHexString(Double.doubleToRawLongBits(v)));
        }
        HalfFloats.round(array);
        for (int i = 0; i < array.length; i++) {
            double v = values.get(i);
            assertEquals(Double.doubleToRawLongBits(HalfFloats.toDouble(HalfFloats.toHalf(v))),
                    Double.doubleToRawLongBits(array[i]), "in place, bits 0x"
                            + Long.toHexString(Double.doubleToRawLongBits(v)));
        }
    }

    @Test
    void finiteValuesBeyondTheRangeSaturate() {
        assertEquals(0x7bff, bits(65519.99));
        assertEquals(0x7bff, bits(65520.0)); // would round to infinity
        assertEquals(0x7bff, bits(1e300));
        assertEquals(0xfbff, bits(-1e9));
        assertEquals(HalfFloats.MAX, HalfFloats.round(7e4));
        assertEquals(0x0000, bits(0x1p-26)); // below half the smallest subnormal
        assertEquals(0x0001, bits(0x1.8p-25)); // above it
        assertEquals(0x0000, bits(0x1p-25)); // the tie goes to even (zero)
    }
}
