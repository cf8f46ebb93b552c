package io.rnnstreams.eval.detection;

/**
 * A standing event's scores: what a reading of {@link AnomalyDetector} emits while its key's alarm stands, so that the
 * score ranks readings as an event does, not only as each reading's own tail probability does. Two rules, both
 * ranking only: neither moves a score across the threshold, so no verdict, alarm, re-alarm or learning changes.
 *
 * <p><b>The tail</b> (issue 17, "NAB-shaped labels on generated series"): a reading at or above {@code threshold}
 * whose surprise {@code s} ({@link AnomalyDetector#surprise}) is no new peak of the standing alarm ({@code s <= peak};
 * {@code peak} is 0 while the alarm is armed, so an event's first reading is never one) and that is the {@code age}-th
 * flagged reading in a row (the quarantine's count; 0 right after an event ended) emits the surprise {@code b + (s -
 * b) / (1 + age / }{@value #AGE}{@code )}, {@code b} the threshold's surprise: its surprise above the threshold is
 * halved at the {@value #AGE}th reading, cut to a third at twice that. So an event's onset and its worsenings rank
 * above its long tail (NAB's swept threshold counts each reading above it outside a window as a false positive: a
 * quarantined level shift held 6,500 of them on the generated NAB-style corpus).
 *
 * <p><b>The lull</b> (issue 17, "Ranking a standing event"): a reading below {@code threshold} while the alarm stands
 * (an alarm was raised and fewer than {@code quiet} readings in a row have been below the threshold since: the
 * event is not over, its readings dipped or are settling) and below the band's top {@code t = min(b, }{@value
 * #LULL_TOP}{@code )} emits the surprise {@code t - }{@value #LULL}{@code  + }{@value #LULL}{@code  s / t}: its
 * surprise mapped in order into the band {@code [t - }{@value #LULL}{@code , t)} (scores 0.984 to 0.99), so it ranks
 * above every reading outside an event that is less surprising than that band's floor. On SKAB a reading below the
 * threshold while an alarm stands is an anomaly more often than one outside an event (694 of 1,250 against 2,787
 * of 11,958), and ranked so the per-row ROC AUC gains 0.004 (docs/anomaly-detection.md, "Ranking a standing event").
 *
 * <p><b>Contract</b>, by construction: whether a reading is at or above the threshold is unchanged (a flagged
 * reading's result is never below the threshold, an unflagged one's always below it, at most the largest double
 * below it); every new peak is unchanged, hence the alarms and re-alarms of {@link AlarmGate} (the peak it keeps is
 * the same, a re-alarm needs a new peak, and below the threshold the gate reads no score value); the verdict {@code
 * flagged}, quarantine and learning never see this score; a score below the threshold never falls, one above it
 * never rises; the fractions of readings at 0.99, 0.999 and 0.9999 (the calibration) are unchanged, as long as the
 * threshold is at least 0.99. What changes: the order above the threshold (a standing event's later readings below
 * the onsets of other events) and between 0.984 and 0.99 (an event's lulls above normal readings).
 *
 * <p><b>State:</b> none of its own. The detector passes the standing alarm's peak surprise (the slot the gate keeps,
 * {@link AlarmGate.Step#peak}), the flagged run's length (the quarantine's count) and whether the alarm stands, all as
 * they are before the gate sees this reading.
 */
final class StandingTail {
    /**
     * Flagged readings in a row after which a standing event's surprise above the threshold has halved in the score
     * it emits. Chosen with the generated NAB-style corpus and SKAB together, with the lull
     * (docs/anomaly-detection.md, "Ranking a standing event"): from 30 down to 5 the NAB-style corpus's swept standard
     * rises (seeds 1-3: 34.3 / 36.4 / 36.4 at 30, 41.9 / 43.9 / 51.2 at 10, 46.3 / 47.0 / 54.7 at 5) while SKAB's ROC
     * AUC falls (0.8529 at 30, 0.8519 at 10, 0.8513 at 5); 5 is the fastest of those that keeps SKAB's at 0.85 or more
     * with a margin (without the lull 30 was chosen: 10 cost SKAB 0.001 and SKAB was at 0.848).
     */
    static final double AGE = 5.0;
    /**
     * The top of the lull's band, in surprise {@code -log10 p}: 2, the score 0.99, the lowest of the levels at which
     * the score is calibrated (1%, 0.1%, 0.01% of normal readings at 0.99, 0.999, 0.9999), so that the lull changes
     * none of those fractions (lifted just below the alarm threshold instead, the readings standing after an alarm
     * doubled the fraction at 0.999 on two Gaussian channels: 0.23%; at 0.99 SKAB's ROC AUC was 0.0005 higher). A
     * threshold below 0.99 is the band's top.
     */
    static final double LULL_TOP = 2.0;
    /**
     * The width of the lull's band, in surprise: a standing event's readings below its top are mapped into {@code
     * [}{@value #LULL_TOP}{@code  - }{@value #LULL}{@code , }{@value #LULL_TOP}{@code )}, scores 0.984 to 0.99. The
     * order is what counts: widths 0.2, 0.5 and 1 give SKAB's ROC AUC 0.8519, 0.8517, 0.8512 (at {@link #AGE} 10).
     */
    static final double LULL = 0.2;

    private StandingTail() {
    }

    /**
     * The score a reading emits (rules in the class comment).
     *
     * @param score     the reading's score
     * @param threshold the alarm threshold
     * @param peak      the standing alarm's peak surprise so far (0 while the alarm is armed)
     * @param age       the flagged readings in a row, this one included
     * @param stands    whether the alarm stands (before this reading)
     */
    static double score(double score, double threshold, double peak, double age, boolean stands) {
        if (!(score >= threshold)) {
            return stands ? lull(score, threshold) : score;
        }
        double s = AnomalyDetector.surprise(score);
        if (s > peak) {
            return score;
        }
        double b = AnomalyDetector.surprise(threshold);
        return Math.max(threshold, AnomalyDetector.scoreOfSurprise(b + (s - b) / (1.0 + age / AGE)));
    }

    /**
     * A score below the threshold in a standing event: below the band's top {@code t = min(b, }{@value #LULL_TOP}{@code
     * )} its surprise {@code s} becomes {@code t - }{@value #LULL}{@code  + }{@value #LULL}{@code  s / t}; at or above
     * {@code t} it is kept.
     */
    private static double lull(double score, double threshold) {
        double top = Math.min(AnomalyDetector.surprise(threshold), LULL_TOP);
        double s = AnomalyDetector.surprise(score);
        if (!(s < top)) {
            return score;
        }
        double lifted = AnomalyDetector.scoreOfSurprise(top - LULL + LULL * s / top);
        return Math.max(score, Math.min(lifted, Math.nextDown(threshold)));
    }
}
