package io.rnnstreams.eval.detection;

/**
 * A detector over one sensor's readings, one call per reading in time order: how anomalous the reading is
 * (higher is more anomalous; any scale). One instance per run; not thread-safe.
 */
public interface RunScorer {
    /** Takes the next reading (finite, not kept) and returns its score. */
    double score(double[] reading);

    /**
     * What the detector told its alarm rule about the reading last scored ({@link AnomalyDetector.Result#signals}:
     * {@link AlarmGate#SPIKE}, {@link AlarmGate#CHANGE}); 0 for a scorer without signals (the default).
     */
    default int signals() {
        return 0;
    }

    /**
     * The calibrated evidence behind {@code score}, the score this scorer last returned: for {@link AnomalyDetector}'s
     * scores {@link AnomalyDetector.Result#evidence} (the reading's own tail, before a standing event's ranking),
     * which is what a test reading scores as tail probabilities takes (the lagged score: {@link LaggedVerdict}); for
     * a scorer that does not re-rank its scores, {@code score} itself (the default).
     */
    default double evidence(double score) {
        return score;
    }

    /**
     * The gate whose alarms this scorer raises itself ({@link #alarm}), or {@code null} (the default): its alarms are
     * those of a gate over its scores and signals. A scorer whose emitted scores are ranked so that such a gate would
     * raise other alarms than its own (the onset-dated lagged score: {@link LaggedVerdict.Result#datedAlarm}) names
     * it, and every figure at that gate reads its own alarms ({@link ScoredSeries#alarms}).
     */
    default AlarmGate ownGate() {
        return null;
    }

    /** Whether the reading last scored raised an alarm of {@link #ownGate}; false without one (the default). */
    default boolean alarm() {
        return false;
    }
}
