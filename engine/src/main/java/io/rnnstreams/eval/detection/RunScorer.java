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
}
