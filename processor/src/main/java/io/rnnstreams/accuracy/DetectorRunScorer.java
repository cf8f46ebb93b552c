package io.rnnstreams.accuracy;

import io.rnnstreams.eval.detection.AnomalyDetector;
import io.rnnstreams.eval.detection.RunScorer;

/**
 * A {@link RunScorer} whose scores are {@link AnomalyDetector}'s: it keeps the signals of the last result
 * ({@link AnomalyDetector.Result#signals}) so that the tables recompute the detector's own alarms from scores and
 * signals. Subclasses score one reading and hand the detector's result to {@link #take}.
 */
abstract class DetectorRunScorer implements RunScorer {
    private int signals;

    /** The score of {@code result}, keeping its signals; 0 and no signals for a reading not judged ({@code null}). */
    protected final double take(AnomalyDetector.Result result) {
        signals = result == null ? 0 : result.signals();
        return result == null ? 0.0 : result.score();
    }

    @Override
    public final int signals() {
        return signals;
    }
}
