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

    /** The doubles kept between readings (see the class comment). */
    public long storedDoubles() {
        long s = forwardState.length;
        int d = pastReadings[0].length;
        return 2 * s + pastStates.length * s + (long) window.k2() * d + (long) pastReadings.length * d + 2L * d;
    }
}
