package io.rnnstreams.eval.detection;

/**
 * The whole lagged verdict on reading {@code t - L}, given at reading {@code t} from the online detector's evidence
 * and signals of reading {@code t} (issue 14): the lagged score ({@link LaggedScore}), its alarm-rule signals
 * ({@link LaggedSignals}), its onset-dated score ({@link LaggedOnset#dated}) and its alarm ({@link AlarmGate} over
 * the <b>undated</b> score with those signals). One composition, used both by the {@code detection} rows (the
 * lagged score and its onset-dated row, whose alarms the table's own gate recomputes from the same scores and
 * signals) and by the stream's lagged output ({@code LaggedOutput.score}, {@code dated}, {@code anomaly}), so the
 * two compute each number alike, bit for bit.
 *
 * <p><b>Evidence, not the emitted score.</b> Every part reads the online detector's {@link
 * AnomalyDetector.Result#evidence}, the reading's own calibrated score, not {@link AnomalyDetector.Result#score}, which
 * while an alarm stands is re-ranked for display ({@link StandingTail}: a held reading's surprise above the threshold
 * decays with the event's age, a lull below it is lifted to 0.984-0.99). The lagged score reads its inputs as tail
 * probabilities, so the decayed tails cut its persistence test (at L = 10 on SKAB, judged-row F1 0.773 from the
 * emitted scores, 0.799 before the ranking existed), and the dating's CUSUM would count a
 * lifted lull as surprise; the signals and the dating's flags only compare with the threshold, on which the two
 * agree. Reading the evidence, the lagged verdict is what it was before the standing event's ranking.
 *
 * <p>The alarm follows the undated score because that is the better alarm (docs/anomaly-detection.md, "Onset
 * dating" and "The lagged verdict reads the detector's evidence": on SKAB at L = 10, NAB standard on the alarms 27.5
 * undated against 26.9 dated); the dated score is the better per-reading verdict (judged-row F1 0.805 against the
 * undated 0.802 and the online 0.795).
 *
 * <p>State: {@link #stateSize} doubles per key, kept by the caller: the lagged score's ({@link LaggedScore#stateSize}),
 * then the signals' ({@link LaggedSignals#stateSize}), the dating's ({@link LaggedOnset#stateSize}), and the gate's
 * two (its state as a double, {@link AlarmGate#OPEN} initially, and the event's peak surprise). The lagged score's
 * doubles come first, so a state holding only those (written before the rest existed) is a prefix of this one
 * ({@link #readPrefix}). Deterministic; stateless instance, one per lag and detector configuration.
 */
public final class LaggedVerdict {
    private final LaggedScore score;
    private final LaggedSignals signals;
    private final LaggedOnset onset;
    private final AlarmGate gate;
    private final int signalsAt;
    private final int onsetAt;
    private final int gateAt;
    private final int size;

    /**
     * @param lag  {@code L >= 1}
     * @param gate the alarm rule: the online detector's threshold (also the threshold of the signals and of the
     *             dating), quiet readings and escalation ({@link #of(int, DetectorConfig)} for the stream's)
     */
    public LaggedVerdict(int lag, AlarmGate gate) {
        this.score = new LaggedScore(lag);
        this.signals = new LaggedSignals(lag, gate.threshold());
        this.onset = new LaggedOnset(lag, gate.threshold());
        this.gate = gate;
        this.signalsAt = LaggedScore.stateSize(lag);
        this.onsetAt = signalsAt + LaggedSignals.stateSize(lag);
        this.gateAt = onsetAt + LaggedOnset.stateSize(lag);
        this.size = gateAt + 2;
    }

    /**
     * The lagged verdict whose alarms follow the online detector's rule: {@code config}'s threshold and quiet,
     * {@link AnomalyDetector#ESCALATION}.
     */
    public static LaggedVerdict of(int lag, DetectorConfig config) {
        return new LaggedVerdict(lag, new AlarmGate(config.threshold(), config.quiet(), AnomalyDetector.ESCALATION));
    }

    /** The doubles of one key's state: {@code 3L + 11}. */
    public static int stateSize(int lag) {
        return LaggedScore.stateSize(lag) + LaggedSignals.stateSize(lag) + LaggedOnset.stateSize(lag) + 2;
    }

    public double[] newState() {
        double[] state = new double[size];
        state[gateAt] = AlarmGate.OPEN;
        return state;
    }

    /**
     * A key's state from {@code stored}, which holds either all {@link #stateSize} doubles or only the lagged score's
     * first {@link LaggedScore#stateSize} (a state written before the signals, the dating and the gate were kept):
     * then those continue and the rest start afresh (no pending spike, no dating, an open gate).
     *
     * @throws IllegalArgumentException for any other length
     */
    public double[] readPrefix(double[] stored) {
        if (stored.length == size) {
            return stored.clone();
        }
        if (stored.length != signalsAt) {
            throw new IllegalArgumentException("a lagged verdict's state has " + size + " doubles (or " + signalsAt
                    + ", the lagged score's alone), got " + stored.length);
        }
        double[] state = newState();
        System.arraycopy(stored, 0, state, 0, signalsAt);
        return state;
    }

    /**
     * The lagged verdict on reading {@code t - L}.
     *
     * @param score   its {@link LaggedScore}, NaN while fewer than {@code L + 1} readings have been seen
     * @param dated   its score with onset dating ({@link LaggedOnset#dated}), NaN likewise
     * @param signals its signals for the alarm rule ({@link LaggedSignals})
     * @param alarm   whether {@link AlarmGate} raises an alarm on it (from {@code score} and {@code signals})
     */
    public record Result(double score, double dated, int signals, boolean alarm) {
    }

    /**
     * Takes reading {@code t}'s online evidence and signals and returns the verdict on reading {@code t - L}. Call once
     * per reading of the key, in order.
     *
     * @param state         {@link #stateSize} doubles, updated in place
     * @param evidence      the online evidence of reading {@code t} ({@link AnomalyDetector.Result#evidence}: its score
     *                      before the standing event's ranking; 0 while warming up)
     * @param onlineSignals the online detector's signals for it ({@link AnomalyDetector.Result#signals})
     */
    public Result update(double[] state, double evidence, int onlineSignals) {
        double lagged = score.update(state, 0, evidence);
        int judged = signals.update(state, signalsAt, evidence, onlineSignals, score, state, 0);
        double dated = LaggedOnset.dated(lagged, onset.update(state, onsetAt, evidence, onlineSignals));
        AlarmGate.Step step = gate.next((long) state[gateAt], state[gateAt + 1], lagged, judged);
        state[gateAt] = step.state();
        state[gateAt + 1] = step.peak();
        return new Result(lagged, dated, judged, step.alarm());
    }

    public int lag() {
        return score.lag();
    }

    public double threshold() {
        return gate.threshold();
    }
}
