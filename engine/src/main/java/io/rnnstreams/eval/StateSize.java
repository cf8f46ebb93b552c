package io.rnnstreams.eval;

/**
 * How much per-key state a forecaster holds between readings: what would have to be stored per key for it
 * to continue bit for bit, counted by kind. Configuration (orders, periods, parameter grids, priors) and
 * scratch buffers that are overwritten before they are read are not state; diagnostics are not either.
 *
 * <p>Bytes are counted as a fixed-width encoding would store them: 8 per double, 4 per float, 2 per half, 8 per
 * counter (reading counts, ring positions and flags, each stored as a long), no framing.
 *
 * @param doubles  64-bit floating-point numbers
 * @param floats   32-bit floating-point numbers
 * @param halves   16-bit floating-point numbers ({@link io.rnnstreams.model.HalfFloats})
 * @param counters integers and flags
 */
public record StateSize(long doubles, long floats, long halves, long counters) {
    /** No state. */
    public static final StateSize NONE = new StateSize(0, 0, 0);

    public StateSize {
        if (doubles < 0 || floats < 0 || halves < 0 || counters < 0) {
            throw new IllegalArgumentException("state sizes must be >= 0, got " + doubles + ", " + floats
                    + ", " + halves + ", " + counters);
        }
    }

    /** A state without halves. */
    public StateSize(long doubles, long floats, long counters) {
        this(doubles, floats, 0, counters);
    }

    /** {@code n} doubles. */
    public static StateSize doubles(long n) {
        return new StateSize(n, 0, 0);
    }

    /** The sum of this and {@code other}. */
    public StateSize plus(StateSize other) {
        return new StateSize(doubles + other.doubles, floats + other.floats, halves + other.halves,
                counters + other.counters);
    }

    /** This, {@code n} times. */
    public StateSize times(long n) {
        return new StateSize(doubles * n, floats * n, halves * n, counters * n);
    }

    /** {@code 8 doubles + 4 floats + 2 halves + 8 counters}. */
    public long bytes() {
        return 8 * doubles + 4 * floats + 2 * halves + 8 * counters;
    }

    @Override
    public String toString() {
        return doubles + " doubles, " + floats + " floats, " + (halves > 0 ? halves + " halves, " : "") + counters
                + " counters (" + bytes() + " bytes)";
    }
}
