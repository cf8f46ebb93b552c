package io.rnnstreams.eval.detection;

/**
 * Alarm suppression: turns a score stream into alarms, one per event. An alarm is raised at a reading whose
 * score is at or above the threshold while the gate is open; raising it closes the gate, which opens again
 * after {@code quiet} consecutive readings below the threshold. With {@code quiet = 1} every upward crossing
 * of the threshold is an alarm.
 *
 * <p>State: one long, {@code -1} open, else the readings below the threshold since the gate closed; kept by
 * the caller (per key), so one instance serves every key.
 */
public final class AlarmGate {
    /** The state of an open gate (the initial state). */
    public static final long OPEN = -1;

    private final double threshold;
    private final int quiet;

    public AlarmGate(double threshold, int quiet) {
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold must be a number, got NaN");
        }
        if (quiet < 1) {
            throw new IllegalArgumentException("quiet readings must be >= 1, got " + quiet);
        }
        this.threshold = threshold;
        this.quiet = quiet;
    }

    /**
     * One reading's decision.
     *
     * @param alarm whether this reading raises an alarm
     * @param state the gate's state after it
     */
    public record Step(boolean alarm, long state) {
    }

    /** Feeds one score (NaN counts as below the threshold) through a gate in {@code state}. */
    public Step next(long state, double score) {
        boolean above = score >= threshold;
        if (state == OPEN) {
            return above ? new Step(true, 0) : new Step(false, OPEN);
        }
        if (above) {
            return new Step(false, 0);
        }
        long below = state + 1;
        return new Step(false, below >= quiet ? OPEN : below);
    }

    /** The alarms of a whole score series, from an open gate. */
    public boolean[] alarms(double[] scores) {
        boolean[] alarms = new boolean[scores.length];
        long state = OPEN;
        for (int t = 0; t < scores.length; t++) {
            Step step = next(state, scores[t]);
            alarms[t] = step.alarm();
            state = step.state();
        }
        return alarms;
    }

    public double threshold() {
        return threshold;
    }

    public int quiet() {
        return quiet;
    }
}
