package io.rnnstreams.eval.detection;

/**
 * The onset dating of the lagged verdict (issue 14): when the online detector begins to flag a change at reading
 * {@code t'}, the readings from the change's estimated onset up to {@code t' - 1} are flagged too, as far back as
 * the lag allows ({@code t' - L}). Online, a change is flagged a few readings after it began (the level test's short
 * mean has to move, its score has to climb past the threshold); with {@code L} successors in view, the verdict on
 * reading {@code t - L} can see that a run of flags began at some {@code t'} in {@code (t - L, t]} and date it back.
 *
 * <p><b>Onset estimate</b>: Page's CUSUM over the online surprise, and its change-point estimate, the reading after
 * the statistic was last 0 (Page 1954; Basseville and Nikiforov, <i>Detection of Abrupt Changes</i>, 1993, section
 * 2.2). Each reading's online tail {@code q_s} ({@code 1 - evidence}, from the detector's {@link
 * AnomalyDetector.Result#evidence}, inverted beyond {@link AnomalyDetector#EXACT_P} as {@link LaggedScore} does: the
 * emitted score's lull, 0.984-0.99 while an alarm stands, would count as surprise and build the CUSUM up inside events;
 * whether a reading is flagged is the same in both) gives {@code y_s = -ln q_s}, which is exponential of mean 1 on
 * normal data (a calibrated tail is uniform). The alternative is the threshold's own level: exponential of mean
 * {@code mu = -ln(1 - threshold)} (9.21 at 0.9999), so the log-likelihood ratio of a reading is
 * {@code y (1 - 1/mu) - ln mu}, and the CUSUM in units of {@code 1 - 1/mu} is
 * {@code C_s = max(0, C_{s-1} + y_s - c)} with the reference value {@code c = mu ln mu / (mu - 1)} (2.49 at 0.9999:
 * a reading counts towards a change when its tail is below {@code e^-c}, 0.083). When the online score crosses the
 * threshold at {@code t'} (flagged, {@code t' - 1} not) and that verdict is a change's (the level or channel test
 * decided it: no {@link AlarmGate#SPIKE} signal), the change is dated from {@code max(t' - L, tau)}, {@code tau} the
 * reading after the last {@code s < t'} with {@code C_s = 0}. Nothing is fitted: {@code c} follows from the
 * threshold, the reach from the lag. A flag with no build-up before it ({@code C_{t'-1} = 0}) dates nothing back, and
 * neither does a spike (its score from the forecast error: a reading unusual on its own has no onset to date). The
 * spike's exclusion was added after a first run without it, in which SKAB's {@code anomaly-free.csv} (whose online
 * tails sit near {@code e^-2.5} for long stretches, so that the CUSUM drifts up) had three lone error spikes dated
 * back into alarms (docs/anomaly-detection.md, "Onset dating"); it uses no label.
 *
 * <p><b>What a dated reading scores</b>: the online evidence of the reading {@code t'} whose change it is dated to (the
 * largest, if several date it): the verdict already made on the change, moved to its onset; no new test. The lagged
 * score with onset dating is {@link #dated}: the larger of {@link LaggedScore}'s and this. On normal data it adds
 * flagged readings only before an online flag whose surprise was already building up.
 *
 * <p>What it can reach (docs/anomaly-detection.md, "Onset dating"): on SKAB the online score flags 7 of the 34 fault
 * segments from their labelled onset, 11 within 1-10 readings after it, 14 later and 2 never; of its 3,481 missed
 * fault rows a lag of 10 can reach only the up to 10 before each late first flag (197 rows) and gaps of at most 10
 * inside faults (81 rows): the rest are longer delays (537), unflagged faults (353), and stretches where the score
 * falls back inside a fault (2,313).
 *
 * <p>State: {@link #stateSize} doubles per key ({@code L + 5}: the readings seen, the CUSUM, the reading its current
 * excursion began, whether the last reading was flagged, then the dated scores of the last {@code L + 1} readings, 0
 * for none), kept by the caller. Deterministic; stateless instance, one per lag and threshold.
 */
public final class LaggedOnset {
    private static final int COUNT = 0;
    private static final int CUSUM = 1;
    private static final int EXCURSION_START = 2;
    private static final int LAST_FLAGGED = 3;
    private static final int DATED = 4;
    private final int lag;
    private final int n;
    private final double threshold;
    private final double reference;

    /**
     * @param lag       {@code L >= 1}: how far back a change can be dated, as the {@link LaggedScore}'s lag
     * @param threshold the online detector's alarm threshold ({@code rnn.anomaly.threshold}), in
     *                  {@code (1 - 1/e, 1)} so that the alternative's mean surprise exceeds the null's
     */
    public LaggedOnset(int lag, double threshold) {
        if (lag < 1) {
            throw new IllegalArgumentException("lag must be >= 1, got " + lag);
        }
        if (!(threshold > 1.0 - Math.exp(-1.0) && threshold < 1.0)) {
            throw new IllegalArgumentException("threshold must be in (1 - 1/e, 1) = (0.632.., 1) for the onset's "
                    + "CUSUM (its alternative, the threshold's tail, must be rarer than e^-1), got " + threshold);
        }
        this.lag = lag;
        this.n = lag + 1;
        this.threshold = threshold;
        this.reference = referenceOf(threshold);
    }

    /**
     * The CUSUM's reference value {@code c = mu ln mu / (mu - 1)}, {@code mu = -ln(1 - threshold)}: the surprise
     * {@code -ln q} above which a reading is likelier under the alternative (exponential of mean {@code mu}) than under
     * the null (of mean 1).
     */
    static double referenceOf(double threshold) {
        double mu = -Math.log(1.0 - threshold);
        return mu * Math.log(mu) / (mu - 1.0);
    }

    /** The doubles of one key's state: {@code L + 5}. */
    public static int stateSize(int lag) {
        return lag + 5;
    }

    public double[] newState() {
        return new double[stateSize(lag)];
    }

    /**
     * Takes the online evidence and signals of reading {@code t} and returns the dated score of reading {@code t - L}.
     *
     * @param state         {@link #stateSize} doubles, updated in place
     * @param evidence      the online evidence of reading {@code t} ({@link AnomalyDetector.Result#evidence}; 0 while
     *                      warming up)
     * @param onlineSignals the online detector's signals for reading {@code t} ({@link AnomalyDetector.Result#signals}):
     *                      a run whose first flag carries {@link AlarmGate#SPIKE} (its score came from the forecast
     *                      error) is a spike and dates nothing
     * @return the online evidence of the flagged reading that reading {@code t - L} is dated to, 0 if none; NaN while
     *         fewer than {@code L + 1} readings have been seen
     */
    public double update(double[] state, double evidence, int onlineSignals) {
        return update(state, 0, evidence, onlineSignals);
    }

    /**
     * {@link #update(double[], double, int)} on the {@link #stateSize} doubles of {@code state} from index {@code at}
     * (a part of a larger state, such as {@link LaggedVerdict}'s): no copy, no allocation.
     */
    double update(double[] state, int at, double evidence, int onlineSignals) {
        long t = (long) state[at + COUNT];
        state[at + DATED + (int) (t % n)] = 0.0;
        boolean flagged = evidence >= threshold;
        if (flagged && state[at + LAST_FLAGGED] == 0.0 && (onlineSignals & AlarmGate.SPIKE) == 0) {
            long onset = Math.max((long) state[at + EXCURSION_START], t - lag);
            for (long s = onset; s < t; s++) {
                int slot = at + DATED + (int) (s % n);
                state[slot] = Math.max(state[slot], evidence);
            }
        }
        double cusum = Math.max(0.0, state[at + CUSUM] - LaggedScore.logTailOfScore(evidence) - reference);
        state[at + CUSUM] = cusum;
        if (cusum == 0.0) {
            state[at + EXCURSION_START] = t + 1;
        }
        state[at + LAST_FLAGGED] = flagged ? 1.0 : 0.0;
        state[at + COUNT] = t + 1;
        if (t + 1 < n) {
            return Double.NaN;
        }
        return state[at + DATED + (int) ((t + 1 - n) % n)];
    }

    /**
     * The lagged score with onset dating of reading {@code t - L}: the larger of its {@link LaggedScore} and its dated
     * score ({@link #update} of the same reading); NaN while either is.
     */
    public static double dated(double laggedScore, double datedScore) {
        if (Double.isNaN(laggedScore) || Double.isNaN(datedScore)) {
            return Double.NaN;
        }
        return Math.max(laggedScore, datedScore);
    }

    public int lag() {
        return lag;
    }
}
