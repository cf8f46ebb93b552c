package io.rnnstreams.accuracy;

import io.rnnstreams.eval.detection.ReferenceScorers;

/**
 * The reference detectors ({@link ReferenceScorers}) as rows of the detection tables, one fresh detector per
 * run: the random one seeded from the seed and the run's name, the fitted z-score fitted on the run's
 * unscored rows.
 */
public final class ReferenceDetectors {
    private ReferenceDetectors() {
    }

    public static DetectorKind none() {
        return new DetectorKind("null (always 0)", Double.NaN, (corpus, run) -> ReferenceScorers.none());
    }

    public static DetectorKind random(long seed) {
        return new DetectorKind("random (seed " + seed + ")", Double.NaN,
                (corpus, run) -> ReferenceScorers.random(seed * 31 + run.name().hashCode()));
    }

    public static DetectorKind runningZ() {
        return new DetectorKind("running z-score (max over channels)", Double.NaN,
                (corpus, run) -> ReferenceScorers.runningZ(corpus.channels()));
    }

    public static DetectorKind fittedZ() {
        return new DetectorKind("z-score fitted on the unscored rows", Double.NaN,
                (corpus, run) -> ReferenceScorers.fittedZ(corpus.channels(), run.firstScored()));
    }

    public static DetectorKind arResidualZ() {
        return new DetectorKind("AR(8)-by-RLS residual z-score", Double.NaN,
                (corpus, run) -> ReferenceScorers.arResidualZ(corpus.channels()));
    }
}
