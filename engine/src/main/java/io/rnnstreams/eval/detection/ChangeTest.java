package io.rnnstreams.eval.detection;

/**
 * The change test of {@link AnomalyDetector}, run only while an alarm stands: whether the readings changed again,
 * away from the normal level, against the level they held during the event (a fault that begins inside a standing
 * event, when the sensor was already far from its normal level: SKAB's valve1/12, other/1, other/4). When it fires
 * the detector signals {@link AlarmGate#CHANGE} and the gate raises a new alarm.
 *
 * <p><b>Rule.</b> Per tested channel {@code a_c = (|xs_c - m_c| - |r_c - m_c|) / sqrt(U_cc)}: how many of its learned
 * spreads the short mean {@code xs} now lies further from the normal level {@code m} than the event's own level
 * {@code r} does (a return towards normal, as at a fault's end, is negative). The test fires when the largest exceeds
 * {@value #SPREADS}; {@code r} then jumps to {@code xs} (the new level is the event's now) and a hold of {@code quiet}
 * readings begins, as at the event's first alarm ({@link #start}). During a hold a channel whose event level is more
 * than {@value #DISPLACED} spreads from normal is not tested and its {@code r} follows its {@code xs} exactly (its
 * short mean is still catching up with the step that raised the alarm); otherwise {@code r} follows {@code xs} with
 * the window {@value #WINDOW}.
 *
 * <p><b>State it owns</b> (layout 5 of the detector's state, from {@code offset}): {@code D} doubles, the event level
 * {@code r_c} per channel, then one double, the readings since its hold began (the event's first alarm or the test's
 * last firing; {@link #HELD} in a state adopted from an older layout). It reads, and never writes, the detector's
 * per-channel normal level {@code m_c} and short mean {@code xs_c} ({@link AnomalyDetector#HEADER}, {@link
 * AnomalyDetector#PER_CHANNEL}) and the learned covariance's diagonal {@code U_cc}, after the reading was learned.
 *
 * <p>Stateless itself (the offsets and settings only) and allocation-free: one instance serves every key and thread.
 */
final class ChangeTest {
    /**
     * The test's window: while an alarm stands, the event's own level is an exponentially weighted mean of the short
     * mean with this window (set to the short mean when the alarm is raised and whenever the test fires), so a fault
     * that ramps over a few dozen readings inside a standing event stands out against it.
     */
    static final int WINDOW = 30;
    /**
     * The test's threshold, in channel spreads: the test fires when a tested channel's short mean has moved this many
     * of its learned standard deviations {@code sqrt(U_cc)} further from the normal level than the event's own level
     * is, {@code (|xs_c - m_c| - |r_c - m_c|) / sqrt(U_cc)}. That is at most {@code |xs_c - r_c| / sqrt(U_cc)}, whose
     * null (readings as normal as the ones learned) is a normal of variance at most 1, so on normal data it fires on at
     * most {@code 2 P(Z > 5) = 5.7e-7} of the readings per channel tested, and only while an alarm stands (never
     * otherwise). Chosen on SKAB, the demo and {@code anomaly-free.csv} (docs/anomaly-detection.md, seventh round): 4.5
     * to 5.5 give the same events; 4.5 re-alarms on more normal readings.
     */
    static final double SPREADS = 5.0;
    /**
     * During the hold after an alarm (its first {@code quiet} readings), a channel whose event level is already this
     * many learned spreads from the normal level is part of what raised the alarm, and its short mean is still
     * catching up with the readings (after a step the 10-reading short mean needs about 30 readings to get within 1%
     * of the new level): its event level then follows its short mean exactly and it is not tested, so a step raises
     * one alarm, not a second one from its own ramp. A channel within this distance is tested from the start (a fault
     * in another channel right after an unrelated alarm: SKAB's valve1/12). 1 loses valve1/12, 3 re-alarms once more
     * on a normal reading (docs/anomaly-detection.md, seventh round).
     */
    static final double DISPLACED = 2.0;
    /** The readings-since count of an adopted state: its hold is over. */
    static final double HELD = 1e9;

    private final int channels;
    private final int quiet;
    private final int covOffset;
    private final int offset;
    private final double alpha;

    /**
     * @param channels  {@code D}
     * @param quiet     the hold's length in readings (the alarm's {@code quiet})
     * @param covOffset where the detector's packed level covariance starts in its state
     * @param offset    where this test's {@link #size} doubles start in the detector's state
     */
    ChangeTest(int channels, int quiet, int covOffset, int offset) {
        this.channels = channels;
        this.quiet = quiet;
        this.covOffset = covOffset;
        this.offset = offset;
        this.alpha = 2.0 / (WINDOW + 1);
    }

    /** Doubles of state the test owns for {@code channels} channels: the event level per channel and one count. */
    static int size(int channels) {
        return channels + 1;
    }

    /**
     * The test's state in a detector state adopted from an older layout that lacked it, its doubles at {@code offset}:
     * the event level starts at the short mean (where the readings sit now) and the hold is over ({@link #HELD}), so
     * no change alarm is raised until the readings move {@value #SPREADS} spreads from there.
     */
    static void adopt(double[] state, int channels, int offset) {
        for (int c = 0; c < channels; c++) {
            state[offset + c] = state[AnomalyDetector.HEADER + AnomalyDetector.PER_CHANNEL * c + 1];
        }
        state[offset + channels] = HELD;
    }

    /** At an event's first alarm: the event level is the short mean, and the hold begins. */
    void start(double[] state) {
        for (int c = 0; c < channels; c++) {
            state[offset + c] = state[shortMean(c)];
        }
        state[offset + channels] = 0;
    }

    /**
     * One reading while the alarm stands (after it was learned): whether the test fires, its state updated as the
     * rule says (class comment).
     *
     * @param tested the channels the level test used for this reading
     */
    boolean changedAgain(double[] state, boolean[] tested) {
        int since = offset + channels;
        state[since] += 1;
        boolean hold = state[since] <= quiet;
        double largest = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < channels; c++) {
            if (tested[c] && !follows(state, c, hold)) {
                int m = normalLevel(c);
                double further = (Math.abs(state[m + 1] - state[m]) - Math.abs(state[offset + c] - state[m]))
                        / spread(state, c);
                largest = Math.max(largest, further);
            }
        }
        boolean fired = largest > SPREADS;
        if (fired) {
            state[since] = 0;
        }
        for (int c = 0; c < channels; c++) {
            double xs = state[shortMean(c)];
            int r = offset + c;
            state[r] = fired || follows(state, c, hold) ? xs : state[r] + alpha * (xs - state[r]);
        }
        return fired;
    }

    /**
     * Whether channel {@code c}'s event level follows its short mean exactly, untested: during a {@code hold}, when
     * the event level lies more than {@value #DISPLACED} spreads from the normal level. Read before the channel's
     * event level is updated, so both of {@link #changedAgain}'s passes see the same answer.
     */
    private boolean follows(double[] state, int c, boolean hold) {
        return hold && Math.abs(state[offset + c] - state[normalLevel(c)]) / spread(state, c) > DISPLACED;
    }

    /** Channel {@code c}'s learned standard deviation {@code sqrt(U_cc)}. */
    private double spread(double[] state, int c) {
        return Math.sqrt(state[covOffset + ShrunkMahalanobis.packed(c, c)]);
    }

    private static int normalLevel(int c) {
        return AnomalyDetector.HEADER + AnomalyDetector.PER_CHANNEL * c;
    }

    private static int shortMean(int c) {
        return normalLevel(c) + 1;
    }
}
