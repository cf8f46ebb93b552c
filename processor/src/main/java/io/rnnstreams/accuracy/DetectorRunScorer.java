package io.rnnstreams.accuracy;

import io.rnnstreams.eval.detection.AnomalyDetector;
import io.rnnstreams.eval.detection.RunScorer;

/**
 * A {@link RunScorer} whose scores are {@link AnomalyDetector}'s: it keeps the signals of the last result ({@link
 * AnomalyDetector.Result#signals}) so that the tables recompute the detector's own alarms from scores and signals, and
 * its evidence ({@link AnomalyDetector.Result#evidence}) for the lagged score. Subclasses score one reading and hand
 * the detector's result to {@link #take}.
 */
abstract class DetectorRunScorer implements RunScorer {
    private int signals;
    private double evidence;

    /**
     * The score of {@code result}, keeping its signals and its evidence; 0, no signals and no evidence (0) for a
     * reading not judged ({@code null}).
     */
    protected final double take(AnomalyDetector.Result result) {
        signals = result == null ? 0 : result.signals();
        evidence = result == null ? 0.0 : result.evidence();
        return result == null ? 0.0 : result.score();
    }

    @Override
    public final int signals() {
        return signals;
    }

    /** The last result's {@link AnomalyDetector.Result#evidence} (the score before the standing event's ranking). */
    @Override
    public final double evidence(double score) {
        return evidence;
    }
}
