package io.rnnstreams.model;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;

/**
 * A per-key state in its stored form: most numbers as 32-bit floats ({@code values}), the few whose precision
 * matters as doubles ({@code exact}), those that need little as 16-bit halves ({@code halves},
 * {@link HalfFloats}), and counters (reading counts, ring positions, flags) as longs, each in the order its
 * owner writes them ({@link Writer}) and reads them back ({@link Reader}). The owner defines the layout; this
 * class only carries it.
 *
 * <p>Stored in float because a key's state is written to a changelog after every reading: half the bytes of
 * doubles. An owner that keeps its state in float between readings (rounds it to float after each update)
 * round-trips through this form bit for bit, so a run that exports and imports between readings and one that
 * does not forecast the same numbers (likewise for halves).
 *
 * <p>Four arrays: {@code exact} (the numbers kept in double), {@code values} (in float), {@code halves}
 * ({@link HalfFloats}'s bits) and {@code counters}, each in the owner's order. Immutable: the constructor and the
 * accessors copy; {@link #adopt} and the read-only views let the stream's codec skip those copies.
 */
public final class CompactState {
    private final double[] exact;
    private final float[] values;
    private final short[] halves;
    private final long[] counters;

    /** A state holding copies of the arrays. */
    public CompactState(double[] exact, float[] values, short[] halves, long[] counters) {
        this(exact.clone(), values.clone(), halves.clone(), counters.clone(), true);
    }

    /** A state without halves (as written before they were added). */
    public CompactState(double[] exact, float[] values, long[] counters) {
        this(exact, values, new short[0], counters);
    }

    /** Takes the arrays as they are; {@code owned} only tells this constructor apart. */
    private CompactState(double[] exact, float[] values, short[] halves, long[] counters, boolean owned) {
        this.exact = java.util.Objects.requireNonNull(exact, "exact");
        this.values = java.util.Objects.requireNonNull(values, "values");
        this.halves = java.util.Objects.requireNonNull(halves, "halves");
        this.counters = java.util.Objects.requireNonNull(counters, "counters");
    }

    /**
     * A state that takes the arrays over without copying them (the constructor copies): for a caller that has
     * just made them, such as a decoder of the stored bytes, and that neither changes nor keeps them afterwards.
     */
    public static CompactState adopt(double[] exact, float[] values, short[] halves, long[] counters) {
        return new CompactState(exact, values, halves, counters, true);
    }

    /**
     * {@code v} as a {@link Writer#value} then a {@link Reader#value} of it leave it: rounded to float and back.
     */
    public static double roundValue(double v) {
        return (float) v;
    }

    /**
     * Leaves every number of {@code a} as {@link Writer#values(double[])} then {@link Reader#values(double[])} of
     * it leave it ({@link #roundValue}), in place: for owners that keep their state in its stored form without
     * writing it and reading it back.
     */
    public static void roundValues(double[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) a[i];
        }
    }

    /** A copy of the numbers kept in double. */
    public double[] exact() {
        return exact.clone();
    }

    /** A copy of the numbers kept in float. */
    public float[] values() {
        return values.clone();
    }

    /** A copy of the halves' bits. */
    public short[] halves() {
        return halves.clone();
    }

    /** A copy of the counters. */
    public long[] counters() {
        return counters.clone();
    }

    /** The numbers kept in double as a read-only buffer over them (position 0): for packing without a copy. */
    public DoubleBuffer exactView() {
        return DoubleBuffer.wrap(exact).asReadOnlyBuffer();
    }

    /** The numbers kept in float as a read-only buffer over them (position 0). */
    public FloatBuffer valuesView() {
        return FloatBuffer.wrap(values).asReadOnlyBuffer();
    }

    /** The halves' bits as a read-only buffer over them (position 0). */
    public ShortBuffer halvesView() {
        return ShortBuffer.wrap(halves).asReadOnlyBuffer();
    }

    /** The number of counters. */
    public int counterCount() {
        return counters.length;
    }

    /** Counter {@code i}, {@code 0 <= i < counterCount()}. */
    public long counter(int i) {
        return counters[i];
    }

    /** Bytes of a fixed-width encoding: 8 per exact number, 4 per value, 2 per half, 8 per counter. */
    public long bytes() {
        return 8L * exact.length + 4L * values.length + 2L * halves.length + 8L * counters.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompactState c && Arrays.equals(exact, c.exact) && Arrays.equals(values, c.values)
                && Arrays.equals(halves, c.halves) && Arrays.equals(counters, c.counters);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(exact) + Arrays.hashCode(values)) + Arrays.hashCode(halves))
                + Arrays.hashCode(counters);
    }

    @Override
    public String toString() {
        return "CompactState[" + exact.length + " exact, " + values.length + " values, " + halves.length
                + " halves, " + counters.length + " counters]";
    }

    /**
     * Collects a state in order; {@link #build} copies what was collected, so one writer may collect state after
     * state ({@link #reset} between them) without allocating more than each build's arrays. Not thread-safe.
     */
    public static final class Writer {
        private double[] exact = new double[16];
        private int exactCount;
        private float[] values = new float[64];
        private int valueCount;
        private short[] halves = new short[64];
        private int halfCount;
        private long[] counters = new long[8];
        private int counterCount;

        /** Appends {@code v} as it is (a double). */
        public Writer exact(double v) {
            if (exactCount == exact.length) {
                exact = Arrays.copyOf(exact, 2 * exact.length);
            }
            exact[exactCount++] = v;
            return this;
        }

        /** Appends every number of {@code a} as it is. */
        public Writer exact(double[] a) {
            if (exactCount + a.length > exact.length) {
                exact = Arrays.copyOf(exact, Math.max(2 * exact.length, exactCount + a.length));
            }
            System.arraycopy(a, 0, exact, exactCount, a.length);
            exactCount += a.length;
            return this;
        }

        /** Appends {@code v} rounded to float. */
        public Writer value(double v) {
            if (valueCount == values.length) {
                values = Arrays.copyOf(values, 2 * values.length);
            }
            values[valueCount++] = (float) v;
            return this;
        }

        /** Appends every number of {@code a}, rounded to float. */
        public Writer values(double[] a) {
            ensureValues(a.length);
            for (int i = 0; i < a.length; i++) {
                values[valueCount + i] = (float) a[i];
            }
            valueCount += a.length;
            return this;
        }

        /** Appends every number of {@code a}. */
        public Writer values(float[] a) {
            ensureValues(a.length);
            System.arraycopy(a, 0, values, valueCount, a.length);
            valueCount += a.length;
            return this;
        }

        /** Appends every number of {@code a}, rounded to half ({@link HalfFloats#toHalf}). */
        public Writer halves(double[] a) {
            if (halfCount + a.length > halves.length) {
                halves = Arrays.copyOf(halves, Math.max(2 * halves.length, halfCount + a.length));
            }
            for (int i = 0; i < a.length; i++) {
                halves[halfCount + i] = HalfFloats.toHalf(a[i]);
            }
            halfCount += a.length;
            return this;
        }

        private void ensureValues(int more) {
            if (valueCount + more > values.length) {
                values = Arrays.copyOf(values, Math.max(2 * values.length, valueCount + more));
            }
        }

        public Writer counter(long c) {
            if (counterCount == counters.length) {
                counters = Arrays.copyOf(counters, 2 * counters.length);
            }
            counters[counterCount++] = c;
            return this;
        }

        public Writer flag(boolean b) {
            return counter(b ? 1 : 0);
        }

        /** Forgets what was collected, keeping the arrays' capacity: the next number written is the first. */
        public Writer reset() {
            exactCount = 0;
            valueCount = 0;
            halfCount = 0;
            counterCount = 0;
            return this;
        }

        /** The state collected since the writer was made or last {@linkplain #reset reset} (copies). */
        public CompactState build() {
            return adopt(Arrays.copyOf(exact, exactCount), Arrays.copyOf(values, valueCount),
                    Arrays.copyOf(halves, halfCount), Arrays.copyOf(counters, counterCount));
        }
    }

    /** Reads a state back in the order it was written; {@link #finish} checks that all of it was read. */
    public static final class Reader {
        private final double[] exact;
        private final float[] values;
        private final short[] halves;
        private final long[] counters;
        private final int exactEnd;
        private final int valueEnd;
        private final int halfEnd;
        private final int counterEnd;
        private int nextExact;
        private int nextValue;
        private int nextHalf;
        private int nextCounter;

        public Reader(CompactState state) {
            this(state.exact, state.values, state.halves, state.counters, state.exact.length, state.values.length,
                    state.halves.length, state.counters.length);
        }

        /**
         * Reads what {@code written} collected since its last {@link Writer#reset}, in place (no copy): the same
         * numbers a reader of its {@link Writer#build} reads. Valid until the writer writes or resets again.
         */
        public Reader(Writer written) {
            this(written.exact, written.values, written.halves, written.counters, written.exactCount,
                    written.valueCount, written.halfCount, written.counterCount);
        }

        private Reader(double[] exact, float[] values, short[] halves, long[] counters, int exactEnd, int valueEnd,
                       int halfEnd, int counterEnd) {
            this.exact = exact;
            this.values = values;
            this.halves = halves;
            this.counters = counters;
            this.exactEnd = exactEnd;
            this.valueEnd = valueEnd;
            this.halfEnd = halfEnd;
            this.counterEnd = counterEnd;
        }

        public double exact() {
            if (nextExact >= exactEnd) {
                throw new IllegalArgumentException("compact state too short: more than " + exactEnd
                        + " exact numbers expected");
            }
            return exact[nextExact++];
        }

        /** Fills {@code a} with the next {@code a.length} exact numbers. */
        public void exact(double[] a) {
            if (nextExact + a.length > exactEnd) {
                throw new IllegalArgumentException("compact state too short: more than " + exactEnd
                        + " exact numbers expected");
            }
            System.arraycopy(exact, nextExact, a, 0, a.length);
            nextExact += a.length;
        }

        public double value() {
            if (nextValue >= valueEnd) {
                throw new IllegalArgumentException("compact state too short: more than " + valueEnd
                        + " values expected");
            }
            return values[nextValue++];
        }

        /** Values not read yet (0 at the end of a state written before a layout added some). */
        public int valuesLeft() {
            return valueEnd - nextValue;
        }

        /** Fills {@code a} with the next {@code a.length} values. */
        public void values(double[] a) {
            requireValues(a.length);
            for (int i = 0; i < a.length; i++) {
                a[i] = values[nextValue + i];
            }
            nextValue += a.length;
        }

        /** Fills {@code a} with the next {@code a.length} values. */
        public void values(float[] a) {
            requireValues(a.length);
            System.arraycopy(values, nextValue, a, 0, a.length);
            nextValue += a.length;
        }

        /** Fills {@code a} with the next {@code a.length} halves ({@link HalfFloats#toDouble}). */
        public void halves(double[] a) {
            if (nextHalf + a.length > halfEnd) {
                throw new IllegalArgumentException("compact state too short: more than " + halfEnd
                        + " halves expected");
            }
            for (int i = 0; i < a.length; i++) {
                a[i] = HalfFloats.toDouble(halves[nextHalf + i]);
            }
            nextHalf += a.length;
        }

        /** Whether the state holds halves (a state written before they were added holds none). */
        public boolean hasHalves() {
            return halfEnd > 0;
        }

        private void requireValues(int more) {
            if (nextValue + more > valueEnd) {
                throw new IllegalArgumentException("compact state too short: more than " + valueEnd
                        + " values expected");
            }
        }

        public long counter() {
            if (nextCounter >= counterEnd) {
                throw new IllegalArgumentException("compact state too short: more than " + counterEnd
                        + " counters expected");
            }
            return counters[nextCounter++];
        }

        public boolean flag() {
            return counter() != 0;
        }

        /**
         * @throws IllegalArgumentException if numbers or counters are left over (a state of another layout or
         *                                  configuration)
         */
        public void finish() {
            if (nextExact != exactEnd || nextValue != valueEnd || nextHalf != halfEnd
                    || nextCounter != counterEnd) {
                throw new IllegalArgumentException("compact state does not fit this configuration: "
                        + exactEnd + " exact numbers, " + valueEnd + " values, " + halfEnd
                        + " halves and " + counterEnd + " counters stored, " + nextExact + ", " + nextValue
                        + ", " + nextHalf + " and " + nextCounter + " read");
            }
        }
    }
}
