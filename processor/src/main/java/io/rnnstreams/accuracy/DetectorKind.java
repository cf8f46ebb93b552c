package io.rnnstreams.accuracy;

import io.rnnstreams.eval.detection.AlarmGate;
import io.rnnstreams.eval.detection.RunScorer;

/**
 * A row of the detection tables: a named detector and how to start it on a run.
 *
 * @param name      the row name
 * @param threshold its own alarm threshold (figures "at the threshold" use it), or NaN if it has none
 * @param factory   a fresh detector for a run of a corpus
 * @param escalation its alarms' escalation factor ({@link AlarmGate}): {@code AnomalyDetector.ESCALATION} for the
 *                  detector's calibrated score, {@link AlarmGate#NO_ESCALATION} (one alarm per event) otherwise
 */
public record DetectorKind(String name, double threshold, Factory factory, double escalation) {
    /** A detector whose alarms are one per event. */
    public DetectorKind(String name, double threshold, Factory factory) {
        this(name, threshold, factory, AlarmGate.NO_ESCALATION);
    }

    /** Starts a detector on a run. */
    @FunctionalInterface
    public interface Factory {
        RunScorer start(DetectionCorpus corpus, LabelledRun run);
    }
}
