package io.rnnstreams.eval.detection;

/**
 * Alarm suppression: turns a score stream into alarms, one per event unless the event escalates. An alarm is
 * raised at a reading whose score is at or above the threshold while the gate is open; raising it closes the
 * gate, which opens again after {@code quiet} consecutive readings below the threshold. With {@code quiet = 1}
 * every upward crossing of the threshold is an alarm.
 *
 * <p><b>Escalation</b> (for the calibrated score of {@link AnomalyDetector}, whose {@code 1 - score} is a tail
 * probability {@code p}): while the gate is closed, a reading whose surprise {@code -log10 p}
 * ({@link AnomalyDetector#surprise}) exceeds {@code escalation} times the event's peak surprise so far raises
 * a new alarm: the event got markedly worse (at {@code escalation = 2}, its tail probability is below the
 * square of the worst one so far). The re-alarm does not open the gate; it becomes the event's new peak, so an
 * event that keeps worsening re-alarms once per step of that factor, and one that never exceeds the factor
 * re-alarms never. {@link #NO_ESCALATION} turns it off (one alarm per event: scores that are not tail
 * probabilities, such as the reference detectors' z-scores).
 *
 * <p>State: a long, {@code -1} open, else the readings below the threshold since the gate closed, and a double,
 * the event's peak surprise (0 while open); kept by the caller (per key), so one instance serves every key.
 */
public final class AlarmGate {
    /** The state of an open gate (the initial state). */
    public static final long OPEN = -1;
    /** The escalation factor that turns re-alarms off. */
    public static final double NO_ESCALATION = Double.POSITIVE_INFINITY;
    /**
     * The peak of an event under way whose peak is not known (a state stored before the peak was kept): no
     * reading exceeds a multiple of it, so that event raises no re-alarm; the next event is escalated as usual.
     */
    public static final double UNKNOWN_PEAK = Double.MAX_VALUE;

    private final double threshold;
    private final int quiet;
    private final double escalation;

    /** A gate without escalation: one alarm per event. */
    public AlarmGate(double threshold, int quiet) {
        this(threshold, quiet, NO_ESCALATION);
    }

    /**
     * @param escalation the factor over the event's peak surprise at which a closed gate re-alarms, {@code > 1},
     *                   or {@link #NO_ESCALATION}
     */
    public AlarmGate(double threshold, int quiet, double escalation) {
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold must be a number, got NaN");
        }
        if (quiet < 1) {
            throw new IllegalArgumentException("quiet readings must be >= 1, got " + quiet);
        }
        if (!(escalation > 1)) {
            throw new IllegalArgumentException("escalation must be > 1 (or infinite: none), got " + escalation);
        }
        this.threshold = threshold;
        this.quiet = quiet;
        this.escalation = escalation;
    }

    /**
     * One reading's decision.
     *
     * @param alarm whether this reading raises an alarm (the event's first, or a re-alarm on escalation)
     * @param state the gate's state after it
     * @param peak  the event's peak surprise after it (0 once the gate is open)
     */
    public record Step(boolean alarm, long state, double peak) {
    }

    /**
     * Feeds one score (NaN counts as below the threshold) through a gate in {@code state} whose event has had
     * the peak surprise {@code peak} (0 while open).
     */
    public Step next(long state, double peak, double score) {
        boolean above = score >= threshold;
        double surprise = escalation == NO_ESCALATION || !(score > 0) ? 0.0 : AnomalyDetector.surprise(score);
        if (state == OPEN) {
            return above ? new Step(true, 0, surprise) : new Step(false, OPEN, 0.0);
        }
        if (above) {
            boolean worse = surprise > escalation * peak;
            return new Step(worse, 0, Math.max(peak, surprise));
        }
        long below = state + 1;
        return below >= quiet ? new Step(false, OPEN, 0.0) : new Step(false, below, peak);
    }

    /** The alarms of a whole score series, from an open gate. */
    public boolean[] alarms(double[] scores) {
        boolean[] alarms = new boolean[scores.length];
        long state = OPEN;
        double peak = 0.0;
        for (int t = 0; t < scores.length; t++) {
            Step step = next(state, peak, scores[t]);
            alarms[t] = step.alarm();
            state = step.state();
            peak = step.peak();
        }
        return alarms;
    }

    public double threshold() {
        return threshold;
    }

    public int quiet() {
        return quiet;
    }

    /** The escalation factor ({@link #NO_ESCALATION}: none). */
    public double escalation() {
        return escalation;
    }
}
