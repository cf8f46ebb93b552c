package io.rnnstreams.eval.detection;

/**
 * The alarm rule's signals ({@link AlarmGate#SPIKE}, {@link AlarmGate#CHANGE}) for the lagged score's verdict on
 * reading {@code t - L} ({@link LaggedScore}), given at reading {@code t}, so that the lagged alarms follow the same
 * {@link AlarmGate} as the online ones (issue 14: the lagged and online scores compared alarm for alarm). By then the
 * online detector's signals for reading {@code t - L} and its verdicts on the {@code L} successors are known:
 *
 * <ul>
 *   <li>{@link AlarmGate#CHANGE}: the online detector's change test fired on reading {@code t - L} (a fault that
 *       begins inside a standing event): passed on as it was given.</li>
 *   <li>{@link AlarmGate#SPIKE}: the online signal of reading {@code t - L} (its score came from its forecast error),
 *       kept only when the lagged verdict is the spike test's ({@link LaggedScore#spikeDecides}: not a change seen
 *       in the successors) <b>and</b> the spike is lone in hindsight: its successor {@code t - L + 1} is below the
 *       threshold online. Online, {@link AlarmGate} holds a lone spike below {@link AlarmGate#SPIKE_CONFIRM} pending
 *       until the next reading confirms it (at or above the threshold: it alarms one reading late) or refutes it;
 *       here the next reading is already known, so a confirmed spike carries no {@code SPIKE} and alarms at once
 *       (the gate's rule, without the wait), and a refuted one carries it and the gate holds it as it holds the
 *       online one (below {@code SPIKE_CONFIRM} it is pending, and the next lagged verdict decides).</li>
 * </ul>
 *
 * <p>The surprise the gate compares with {@code SPIKE_CONFIRM} is the lagged score's, which is the online one's
 * less {@code log10 2} (Bonferroni's factor): a lone spike of online surprise 8 to 8.3 alarms online at once and waits
 * here.
 *
 * <p>State: {@link #stateSize} doubles per key ({@code L + 2}: a count, then the last {@code L + 1} readings' online
 * signals, each with {@link #FLAGGED} if its online evidence was at or above the threshold), kept by the caller. It
 * takes the detector's {@link AnomalyDetector.Result#evidence}, as the rest of {@link LaggedVerdict} does, though it
 * only compares it with the threshold, where the evidence and the emitted score always agree ({@link StandingTail}).
 * Deterministic; stateless instance, one per lag and threshold.
 */
public final class LaggedSignals {
    /** In a stored entry: the reading's online score was at or above the threshold (above the signals' bits). */
    static final int FLAGGED = 1 << 8;
    private final int lag;
    private final int n;
    private final double threshold;

    /**
     * @param lag       {@code L >= 1}, as the {@link LaggedScore}'s
     * @param threshold the online detector's alarm threshold ({@code rnn.anomaly.threshold})
     */
    public LaggedSignals(int lag, double threshold) {
        if (lag < 1) {
            throw new IllegalArgumentException("lag must be >= 1, got " + lag);
        }
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold must be a number, got NaN");
        }
        this.lag = lag;
        this.n = lag + 1;
        this.threshold = threshold;
    }

    /** The doubles of one key's state: {@code L + 2}. */
    public static int stateSize(int lag) {
        return lag + 2;
    }

    public double[] newState() {
        return new double[stateSize(lag)];
    }

    /**
     * Takes reading {@code t}'s online evidence and signals and returns the signals of the lagged verdict on reading
     * {@code t - L}.
     *
     * @param state         {@link #stateSize} doubles, updated in place
     * @param evidence      the online evidence of reading {@code t} ({@link AnomalyDetector.Result#evidence}; only
     *                      compared with the threshold, on which it and the emitted score always agree)
     * @param onlineSignals the online detector's signals for reading {@code t} ({@link AnomalyDetector.Result#signals})
     * @param score         the {@link LaggedScore} of the same lag
     * @param scoreState    its state after the same reading's {@link LaggedScore#update}
     * @return the signals for the verdict on reading {@code t - L}; 0 while fewer than {@code L + 1} readings have
     *         been seen (no verdict)
     */
    public int update(double[] state, double evidence, int onlineSignals, LaggedScore score, double[] scoreState) {
        return update(state, 0, evidence, onlineSignals, score, scoreState, 0);
    }

    /**
     * {@link #update(double[], double, int, LaggedScore, double[])} on the {@link #stateSize} doubles of {@code state}
     * from index {@code at}, the lagged score's state being those of {@code scoreState} from {@code scoreAt} (parts of
     * a larger state, such as {@link LaggedVerdict}'s): no copy, no allocation.
     */
    int update(double[] state, int at, double evidence, int onlineSignals, LaggedScore score, double[] scoreState,
               int scoreAt) {
        long count = (long) state[at];
        int signals = onlineSignals & (AlarmGate.SPIKE | AlarmGate.CHANGE);
        state[at + 1 + (int) (count % n)] = signals | (evidence >= threshold ? FLAGGED : 0);
        state[at] = ++count;
        if (count < n) {
            return 0;
        }
        int judged = (int) state[at + 1 + (int) ((count - n) % n)];
        int successor = (int) state[at + 1 + (int) ((count - n + 1) % n)];
        boolean loneSpike = (judged & AlarmGate.SPIKE) != 0 && (successor & FLAGGED) == 0
                && score.spikeDecides(scoreState, scoreAt);
        return (judged & AlarmGate.CHANGE) | (loneSpike ? AlarmGate.SPIKE : 0);
    }

    public int lag() {
        return lag;
    }
}
