package io.rnnstreams.eval.detection;

/**
 * The lagged anomaly score of fixed-lag smoothing (issue 14): the verdict on reading {@code t - L}, given at reading
 * {@code t} from both its sides, built from the online detector's tail probabilities, already calibrated one by one:
 * {@code q_s}, the tail of reading {@code s} ({@link AnomalyDetector}: the reading and its forecast error, judged
 * with its past), for {@code s = t - L .. t}. It takes them from the detector's {@link
 * AnomalyDetector.Result#evidence}, not from the score it emits: while an alarm stands that score is a ranking
 * ({@link StandingTail}: a held reading's surprise above the threshold halved by the event's 5th flagged reading, a
 * lull lifted to 0.984-0.99), not the reading's tail, and Rüger's bound below holds only for valid tails (the decayed
 * ones cut SKAB's judged-row F1 at L = 10 from 0.799 to 0.773: docs/anomaly-detection.md, "The lagged score").
 *
 * <p><b>Persistence</b> (a change that lasts): of the {@code n = L + 1} tails {@code q_{t-L} .. q_t}, the
 * {@code k}-th smallest, by default {@code k = 2} (one unusual reading is a spike, two among the reading and its
 * successors a change), scaled by Rüger's factor: {@code pP = min(1, (n / k) q_(k))}. <b>Spike</b> (a reading
 * unusual on its own): {@code q_{t-L}}, the online tail itself. Lagged tail: {@code p = min(1, 2 min(pP,
 * q_{t-L}))} (Bonferroni over the two); the score is {@code 1 - p}, ranked beyond {@link AnomalyDetector#EXACT_P}
 * as the online score is ({@link AnomalyDetector#scoreOfTail}).
 *
 * <p>The smoother's two-sided test (its reconstruction of reading {@code t - L} from both sides, through its own
 * {@link AnomalyDetector}: {@code LaggedOutput.laggedScore}) plays no part: as the spike test's second opinion
 * (both agreeing) it cleared the injected spikes of the demo's data (3 of 6 alarmed within {@code L + 2} readings
 * against 6 of 6), and as an alternative (either, Bonferroni) it added false alarms on SKAB (F1 0.776 against the
 * online 0.795), while the online tail alone kept SKAB's gain (docs/anomaly-detection.md, "The lagged score").
 *
 * <p><b>Null distribution.</b> If each input tail is valid on normal data ({@code P(q_s <= x) <= x}, which is what
 * the online detector's calibration on Gaussian noise measures), then {@code P(p <= x) <= x} whatever the
 * dependence between them: Rüger's bound ({@code P((n / k) q_(k) <= x) <= x} for any joint distribution; Rüger,
 * Metrika 1978; Morgenstern 1980) and Bonferroni's sum. Consecutive online tails are strongly dependent (the level
 * test's short mean spans about 10 readings), so the bound is loose in between: the lagged score is conservative.
 *
 * <p>What it can tell apart: a change that persists through most of the {@code L} successors is flagged at
 * {@code t - L} even when the online test flagged it only a few readings later (the onset moves back by up to
 * {@code n - k} readings in the verdict's row; the verdict is still emitted at {@code t}); a single unusual reading
 * stays flagged at half its online tail's significance. Measured on SKAB (docs/anomaly-detection.md, "The lagged
 * score"): {@code k} = 1, 2, 3 and a majority were tried on the same data, and 2 kept (k = 1 and 2 raised both F1
 * and NAB on the alarms over the online score at the emission time; 2 is the smallest that needs a second unusual
 * reading for a change): the choice was made on the data it is reported on.
 *
 * <p>State: {@link #stateSize} doubles per key ({@code L + 2}: a count, then the last {@code L + 1} online tails
 * in {@code ln}), kept by the caller. Deterministic; stateless instance, one per lag.
 */
public final class LaggedScore {
    private static final double LOG_10 = Math.log(10.0);
    private final int lag;
    private final int n;
    private final int k;

    /** The default {@code k}: two unusual readings among a reading and its successors make a change. */
    public static final int AGREEING = 2;

    /** @param lag {@code L >= 1}: the successors a reading waits for; {@link #AGREEING} of the {@code L + 1} agree */
    public LaggedScore(int lag) {
        if (lag < 1) {
            throw new IllegalArgumentException("lag must be >= 1, got " + lag);
        }
        this.lag = lag;
        this.n = lag + 1;
        this.k = AGREEING; // n = L + 1 >= 2 = AGREEING: the k-th smallest exists
    }

    /** The doubles of one key's state: {@code L + 2}. */
    public static int stateSize(int lag) {
        return lag + 2;
    }

    public double[] newState() {
        return new double[stateSize(lag)];
    }

    /**
     * Takes the online evidence of reading {@code t} and returns the lagged score of reading {@code t - L}.
     *
     * @param state    {@link #stateSize} doubles, updated in place
     * @param evidence the online evidence of reading {@code t} ({@link AnomalyDetector.Result#evidence}; 0 while
     *                 warming up)
     * @return the lagged score of reading {@code t - L} in [0, 1), or NaN while fewer than {@code L + 1} readings
     *         have been seen
     */
    public double update(double[] state, double evidence) {
        return update(state, 0, evidence);
    }

    /**
     * {@link #update(double[], double)} on the {@link #stateSize} doubles of {@code state} from index {@code at} (a
     * part of a larger state, such as {@link LaggedVerdict}'s): no copy, no allocation.
     */
    double update(double[] state, int at, double evidence) {
        long count = (long) state[at];
        state[at + 1 + (int) (count % n)] = logTailOfScore(evidence);
        state[at] = ++count;
        if (count < n) {
            return Double.NaN;
        }
        return AnomalyDetector.scoreOfTail(Math.min(persistent(state, at), judged(state, at)), 2);
    }

    /**
     * Whether the last verdict ({@link #update} having returned a number) is the spike test's: the judged reading's
     * own tail {@code q_{t-L}} is at most the persistence tail {@code pP}, so the lagged score is the reading's own
     * online verdict (at half its significance), not a change seen in its successors. Reads {@code state} only.
     */
    public boolean spikeDecides(double[] state) {
        return spikeDecides(state, 0);
    }

    /** {@link #spikeDecides(double[])} on the {@link #stateSize} doubles of {@code state} from index {@code at}. */
    boolean spikeDecides(double[] state, int at) {
        if ((long) state[at] < n) {
            throw new IllegalStateException("no verdict yet: " + (long) state[at] + " of " + n + " readings seen");
        }
        return judged(state, at) <= persistent(state, at);
    }

    /**
     * Whether the judged reading {@code t - L} of the last verdict ({@link #update} having returned a number) was
     * flagged by the online detector on its own: its own online tail {@code ln q_{t-L}} at most {@code
     * thresholdLogTail}, the threshold's ({@link #logTailOfScore} of it: so an evidence at or above the threshold
     * always is; one a rounding below it may be too). Reads the {@link #stateSize} doubles of {@code state} from index
     * {@code at} only.
     */
    boolean judgedFlagged(double[] state, int at, double thresholdLogTail) {
        return !(judged(state, at) > thresholdLogTail);
    }

    /** {@code ln q_{t-L}}: the judged reading's own online tail. */
    private double judged(double[] state, int at) {
        long count = (long) state[at];
        return state[at + 1 + (int) ((count - n) % n)];
    }

    /**
     * {@code ln pP}: Rüger's persistence tail of the last {@code n} online tails, from their {@code k}-th smallest
     * ({@code k = }{@link #AGREEING}{@code  = 2}, {@code n >= 2}), found in one pass without a copy or a sort: the
     * same double as {@code Arrays.sort} of a copy then its {@code k - 1}-th element, in {@link Double#compare}'s
     * order (a NaN the largest, {@code -0.0} below {@code 0.0}), which {@code LaggedScoreTest} checks against that
     * computation on random tails (bit for bit; a NaN, which no finite evidence gives, as a NaN).
     */
    private double persistent(double[] state, int at) {
        double smallest = state[at + 1];
        double second = state[at + 2];
        if (Double.compare(second, smallest) < 0) {
            second = smallest;
            smallest = state[at + 2];
        }
        for (int i = at + 3; i <= at + n; i++) {
            double x = state[i];
            if (Double.compare(x, smallest) < 0) {
                second = smallest;
                smallest = x;
            } else if (Double.compare(x, second) < 0) {
                second = x;
            }
        }
        return Math.min(0.0, Math.log((double) n / k) + second);
    }

    /**
     * {@code ln} of the tail probability a score of {@link AnomalyDetector} stands for: {@code ln(1 - score)} while
     * {@code 1 - score >= }{@link AnomalyDetector#EXACT_P}, beyond it the inverse of its ranking
     * ({@code 1 - EXACT_P / (1 + ln(s / 12))}, {@code s = -log10 p}); 0 for a score of 0 or below. The
     * score's top dozen doubles ({@code 1 - score < 1.4e-15}, a surprise beyond the double range) all give
     * {@code -Double.MAX_VALUE}, so that the lagged score never reaches 1.
     */
    static double logTailOfScore(double score) {
        double q = 1.0 - score;
        if (q >= 1.0) {
            return 0.0;
        }
        if (q >= AnomalyDetector.EXACT_P) {
            return Math.log(q);
        }
        double surprise = 12.0 * Math.exp(AnomalyDetector.EXACT_P / q - 1.0);
        return Math.max(-Double.MAX_VALUE, -surprise * LOG_10);
    }

    public int lag() {
        return lag;
    }
}
