package io.rnnstreams.eval.detection;

/**
 * The whole lagged verdict on reading {@code t - L}, given at reading {@code t} from the online detector's evidence
 * and signals of reading {@code t} (issue 14): the lagged score ({@link LaggedScore}), its alarm-rule signals
 * ({@link LaggedSignals}), its onset-dated score ({@link LaggedOnset#dated}) and its alarm ({@link AlarmGate} over
 * the <b>undated</b> score with those signals). One composition, used both by the {@code detection} rows (the
 * lagged score and its onset-dated row, whose alarms the table takes from this verdict: {@link Result#alarm},
 * {@link Result#datedAlarm}) and by the stream's lagged output ({@code LaggedOutput.score}, {@code dated}, {@code
 * anomaly}), so the two compute each number alike, bit for bit.
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
 * <p><b>Its own standing event's ranking</b> (branch {@code lag14h}): the scores it returns are ranked as the online
 * score is ({@link StandingTail}, applied after the verdict, so that every part above keeps reading the evidence):
 * the undated score by the alarm's own gate ({@code AlarmGate} over the undated score: its peak, whether its alarm
 * stands) and the lagged flagged run's length; the dated score likewise by a gate of its own over the dated score
 * with the same signals (the dated row's alarms, {@link Result#datedAlarm}), and its own flagged
 * run. Only the order of the scores changes: none crosses the threshold, so the flags and the per-row figures at the
 * threshold are those of the unranked scores, which {@link Result} keeps as {@link Result#evidence} and {@link
 * Result#datedEvidence}. For the undated score every new peak of its gate is kept too, so the alarms of a gate over the
 * returned scores (the same rule, threshold, quiet and escalation) are the verdict's own ({@link Result#alarm}).
 *
 * <p><b>The judged row's verdict</b> (branch {@code lag14j}): the dated score is the per-reading verdict on reading
 * {@code t - L} (it belongs at the row it judges; the undated score and its alarm are what the stream acts on at
 * {@code t}). A dated score at or above the threshold whose reading's own online evidence was below it (flagged for
 * its successors only: by the persistence test or the dating, not by itself; {@link LaggedScore}'s own tail of the
 * judged reading above the threshold's) is returned <b>at the threshold itself</b>: still flagged, ranked at or below
 * every other flagged reading. On SKAB such readings are the new peaks of an event dated before its strongest
 * readings, which cost the judged row its threshold-swept NAB (docs/anomaly-detection.md, branches {@code lag14i},
 * {@code lag14j}). So this rule may lower a new peak of the dated gate: <b>a gate over the returned dated scores does
 * not give the dated row's alarms</b>; those are the verdict's own, {@link Result#datedAlarm} (the dated gate over
 * {@link Result#datedEvidence}), which the {@code detection} table takes from it ({@link RunScorer#alarm}) rather than
 * recomputing them. The undated score ({@code LaggedOutput.score}) and every alarm are unchanged by it.
 *
 * <p>State: {@link #stateSize} doubles per key, kept by the caller: the lagged score's ({@link LaggedScore#stateSize}),
 * then the signals' ({@link LaggedSignals#stateSize}), the dating's ({@link LaggedOnset#stateSize}), the gate's
 * two (its state as a double, {@link AlarmGate#OPEN} initially, and the event's peak surprise), then the ranking's
 * four: the undated score's flagged run, the dated score's gate (two, as the alarm's) and its flagged run. The older
 * layouts are prefixes of this one ({@link #readPrefix}): the lagged score's doubles alone (written before the rest
 * existed, {@code L + 2}) and the verdict without the ranking's four ({@code 3L + 11}, branches {@code lag14f} and
 * {@code lag14g}). Updated in place without allocating an array. Deterministic; stateless instance, one per lag and
 * detector configuration.
 */
public final class LaggedVerdict {
    /**
     * The ranking's doubles at the end of the state: the undated score's flagged run, the dated score's gate state and
     * peak, its flagged run.
     */
    private static final int RANKING = 4;
    private final LaggedScore score;
    private final LaggedSignals signals;
    private final LaggedOnset onset;
    private final AlarmGate gate;
    private final int signalsAt;
    private final int onsetAt;
    private final int gateAt;
    private final int rankAt;
    private final int size;
    /** {@code ln(1 - threshold)} as {@link LaggedScore} keeps the tails: whether the judged reading flagged itself. */
    private final double thresholdLogTail;

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
        this.rankAt = gateAt + 2;
        this.size = rankAt + RANKING;
        this.thresholdLogTail = LaggedScore.logTailOfScore(gate.threshold());
    }

    /**
     * The lagged verdict whose alarms follow the online detector's rule: {@code config}'s threshold and quiet,
     * {@link AnomalyDetector#ESCALATION}.
     */
    public static LaggedVerdict of(int lag, DetectorConfig config) {
        return new LaggedVerdict(lag, new AlarmGate(config.threshold(), config.quiet(), AnomalyDetector.ESCALATION));
    }

    /** The doubles of one key's state: {@code 3L + 15}. */
    public static int stateSize(int lag) {
        return LaggedScore.stateSize(lag) + LaggedSignals.stateSize(lag) + LaggedOnset.stateSize(lag) + 2 + RANKING;
    }

    public double[] newState() {
        double[] state = new double[size];
        state[gateAt] = AlarmGate.OPEN;
        state[rankAt + 1] = AlarmGate.OPEN;
        return state;
    }

    /**
     * A key's state from {@code stored}, which holds either all {@link #stateSize} doubles or one of the older layouts'
     * prefix of them: only the lagged score's first {@link LaggedScore#stateSize} (a state written before the signals,
     * the dating and the gate were kept), or all but the ranking's last four ({@code 3L + 11}, written before the
     * lagged scores were ranked). The doubles stored continue, the rest start afresh (no pending spike, no dating, an
     * open gate; no flagged run and an open gate for the ranking: an event standing at the restore ranks from there as
     * a new one, which moves no flag or alarm).
     *
     * @throws IllegalArgumentException for any other length
     */
    public double[] readPrefix(double[] stored) {
        if (stored.length == size) {
            return stored.clone();
        }
        if (stored.length != signalsAt && stored.length != rankAt) {
            throw new IllegalArgumentException("a lagged verdict's state has " + size + " doubles (or " + rankAt
                    + ", before its ranking, or " + signalsAt + ", the lagged score's alone), got " + stored.length);
        }
        double[] state = newState();
        System.arraycopy(stored, 0, state, 0, stored.length);
        return state;
    }

    /**
     * The lagged verdict on reading {@code t - L}.
     *
     * @param score         its {@link LaggedScore}, ranked by its standing event ({@link StandingTail} over this
     *                      verdict's gate); NaN while fewer than {@code L + 1} readings have been seen
     * @param dated         its score with onset dating ({@link LaggedOnset#dated}), ranked by its own standing event
     *                      likewise, and at the threshold itself if flagged for its successors only (the class
     *                      comment, "The judged row's verdict"); NaN likewise
     * @param signals       its signals for the alarm rule ({@link LaggedSignals})
     * @param alarm         whether {@link AlarmGate} raises an alarm on it (from {@code evidence} and {@code signals},
     *                      the same as from {@code score})
     * @param evidence      its {@link LaggedScore} before the ranking: on the same side of the threshold as {@code
     *                      score}, at least {@code score} above it and at most {@code score} below it
     * @param datedEvidence its dated score before the ranking: on the same side of the threshold as {@code dated},
     *                      at least {@code dated} above it and at most {@code dated} below it
     * @param datedAlarm    whether the dated score's own gate ({@link AlarmGate} over {@code datedEvidence} and
     *                      {@code signals}) raises an alarm on it: the alarms of the {@code detection} table's dated
     *                      rows (not those of a gate over {@code dated})
     */
    public record Result(double score, double dated, int signals, boolean alarm, double evidence,
                         double datedEvidence, boolean datedAlarm) {
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
        long before = (long) state[gateAt];
        double peak = state[gateAt + 1];
        AlarmGate.Step step = gate.next(before, peak, lagged, judged);
        state[gateAt] = step.state();
        state[gateAt + 1] = step.peak();
        double ranked = rank(state, rankAt, lagged, before, peak);
        int datedAt = rankAt + 1;
        long datedBefore = (long) state[datedAt];
        double datedPeak = state[datedAt + 1];
        AlarmGate.Step datedStep = gate.next(datedBefore, datedPeak, dated, judged);
        state[datedAt] = datedStep.state();
        state[datedAt + 1] = datedStep.peak();
        double rankedDated = rank(state, datedAt + 2, dated, datedBefore, datedPeak);
        if (rankedDated >= gate.threshold() && !score.judgedFlagged(state, 0, thresholdLogTail)) {
            rankedDated = gate.threshold(); // flagged for its successors only: ranked at the threshold itself
        }
        return new Result(ranked, rankedDated, judged, step.alarm(), lagged, dated, datedStep.alarm());
    }

    /**
     * {@code score} ranked by its standing event ({@link StandingTail}), as {@link AnomalyDetector} ranks the online
     * score: its gate's state and peak before this reading ({@code before}, {@code peak}), its flagged run at {@code
     * runAt} (counted here, this reading included; 0 after a reading below the threshold).
     */
    private double rank(double[] state, int runAt, double score, long before, double peak) {
        double threshold = gate.threshold();
        state[runAt] = score >= threshold ? state[runAt] + 1 : 0;
        if (Double.isNaN(score)) {
            return score;
        }
        return StandingTail.score(score, threshold, peak, state[runAt], before >= 0); // OPEN, PENDING: no alarm stands
    }

    public int lag() {
        return score.lag();
    }

    public double threshold() {
        return gate.threshold();
    }
}
