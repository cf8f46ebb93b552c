package io.rnnstreams.eval.detection;

/**
 * A standing event's tail: the score a reading of {@link AnomalyDetector} emits once it stands in an event, so that
 * an event's onset and its worsenings rank above its long tail.
 *
 * <p><b>Rule.</b> A reading at or above {@code threshold} whose surprise {@code s} ({@link AnomalyDetector#surprise})
 * is no new peak of the standing alarm ({@code s <= peak}; {@code peak} is 0 while the alarm is armed, so an event's
 * first reading is never one) and that is the {@code age}-th flagged reading in a row (the quarantine's count; 0
 * right after an event ended) emits the surprise {@code b + (s - b) / (1 + age / }{@value #AGE}{@code )}, {@code b}
 * the threshold's surprise: its surprise above the threshold is halved at the {@value #AGE}th reading, cut to a third
 * at twice that. Every other score is returned as it is.
 *
 * <p><b>Contract</b>, by construction: every score below the threshold is unchanged; whether a reading is at or
 * above the threshold is unchanged (the result is never below it); every new peak is unchanged, hence the alarms and
 * re-alarms of {@link AlarmGate} (the peak it keeps is the same, and a re-alarm needs a new peak); the verdict
 * {@code flagged}, quarantine and learning never see this score. What it changes: the order above the threshold,
 * where a standing event's later readings now rank below the onsets of other events (NAB's swept threshold counts
 * each reading above it outside a window as a false positive: a quarantined level shift held 6,500 of them on the
 * generated NAB-style corpus; docs/anomaly-detection.md, "NAB-shaped labels on generated series").
 *
 * <p><b>State:</b> none of its own. The detector passes the standing alarm's peak surprise (the slot the gate keeps,
 * {@link AlarmGate.Step#peak}) and the flagged run's length (the quarantine's count), both as they are before the
 * gate sees this reading.
 */
final class StandingTail {
    /**
     * Flagged readings in a row after which a standing event's surprise above the threshold has halved in the score
     * it emits. Chosen with the generated NAB-style corpus and SKAB together: 10 gains more on the first (its swept
     * NAB standard 34 -> 42) but costs SKAB's ROC AUC 0.001; 100 keeps SKAB's and gains less (22); 30 keeps SKAB's
     * (docs/anomaly-detection.md, "NAB-shaped labels on generated series").
     */
    static final double AGE = 30.0;

    private StandingTail() {
    }

    /**
     * The score a reading emits (rule in the class comment).
     *
     * @param score     the reading's score
     * @param threshold the alarm threshold
     * @param peak      the standing alarm's peak surprise so far (0 while the alarm is armed)
     * @param age       the flagged readings in a row, this one included
     */
    static double score(double score, double threshold, double peak, double age) {
        if (!(score >= threshold)) {
            return score;
        }
        double s = AnomalyDetector.surprise(score);
        if (s > peak) {
            return score;
        }
        double b = AnomalyDetector.surprise(threshold);
        return Math.max(threshold, AnomalyDetector.scoreOfSurprise(b + (s - b) / (1.0 + age / AGE)));
    }
}
