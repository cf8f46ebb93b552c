package io.rnnstreams.model;

/**
 * What the fixed-lag smoother remembers about one sequence between readings: the live forward state, the last
 * {@code L + 1} forward states and raw readings (rings), the window of the last {@code k2 + L} normalised readings
 * with its anchor, the normaliser, and the reading count. Fixed size:
 * {@code (L + 3) S + (k2 + L) D + (L + 1) D + 2 D} doubles.
 */
public final class SmootherState {
    final double[] forwardState;
    /** {@code pastStates[s % (L+1)]}: the forward state after reading s, for the last L + 1 readings. */
    final double[][] pastStates;
    /** {@code pastReadings[s % (L+1)]}: reading s as it came. */
    final double[][] pastReadings;
    final TbpttWindow window;
    final Normaliser normaliser;
    long readings;

    public SmootherState(SmootherConfig config) {
        int stateSize = SequenceState.stateSize(config.network());
        int d = config.channels();
        int ring = config.lag() + 1;
        this.forwardState = new double[stateSize];
        this.pastStates = new double[ring][stateSize];
        this.pastReadings = new double[ring][d];
        this.window = new TbpttWindow(config.learner().k1(), config.windowCapacity(), d, 0, stateSize);
        this.normaliser = new Normaliser(d);
    }

    public long readings() {
        return readings;
    }

    public TbpttWindow window() {
        return window;
    }

    /**
     * This state written to {@code out}, every number exact (a double): the forward state ({@code S}), the last
     * {@code L + 1} forward states and readings (ring slot by slot), the window's anchor and its {@code k2 + L}
     * readings (ring slot by slot), the normaliser's mean and m2; counters: the window's count, head and pushes
     * since the last training, the normaliser's count, the reading count. {@link #readState} of it continues bit
     * for bit.
     */
    public void writeState(CompactState.Writer out) {
        out.exact(forwardState);
        for (double[] past : pastStates) {
            out.exact(past);
        }
        for (double[] past : pastReadings) {
            out.exact(past);
        }
        out.exact(window.anchor);
        for (int slot = 0; slot < window.k2(); slot++) {
            out.exact(window.inputs[slot]);
        }
        out.exact(normaliser.meanArray()).exact(normaliser.m2Array());
        out.counter(window.count()).counter(window.head()).counter(window.pushesSinceUpdate())
                .counter(normaliser.count()).counter(readings);
    }

    /**
     * Replaces this state with what {@link #writeState} wrote for a smoother of the same configuration.
     *
     * @throws IllegalArgumentException if it does not fit (too few or too many numbers, a window position out of
     *                                  range); this state is then partly overwritten
     */
    public void readState(CompactState.Reader in) {
        in.exact(forwardState);
        for (double[] past : pastStates) {
            in.exact(past);
        }
        for (double[] past : pastReadings) {
            in.exact(past);
        }
        in.exact(window.anchor);
        for (int slot = 0; slot < window.k2(); slot++) {
            in.exact(window.inputs[slot]);
        }
        in.exact(normaliser.meanArray());
        in.exact(normaliser.m2Array());
        int count = Math.toIntExact(in.counter());
        int head = Math.toIntExact(in.counter());
        int pushes = Math.toIntExact(in.counter());
        window.restore(count, head, pushes);
        normaliser.setCount(in.counter());
        readings = in.counter();
    }

    /**
     * Reading {@code index} (0-based, counted from this state's first) as it came: one of the last {@code L + 1}
     * (a copy).
     *
     * @throws IllegalArgumentException if it is not one of them
     */
    public double[] reading(long index) {
        if (index < 0 || index >= readings || index < readings - pastReadings.length) {
            throw new IllegalArgumentException("reading " + index + " is not one of the last " + pastReadings.length
                    + " of " + readings);
        }
        return pastReadings[(int) (index % pastReadings.length)].clone();
    }

    /** The doubles kept between readings (see the class comment). */
    public long storedDoubles() {
        long s = forwardState.length;
        int d = pastReadings[0].length;
        return 2 * s + pastStates.length * s + (long) window.k2() * d + (long) pastReadings.length * d + 2L * d;
    }
}
