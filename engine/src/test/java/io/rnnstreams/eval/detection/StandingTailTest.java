package io.rnnstreams.eval.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The two rules of {@link StandingTail}, worked by hand at the threshold 0.9999 (surprise {@code b = 4}). */
class StandingTailTest {
    private static final double THRESHOLD = 0.9999;

    /**
     * The tail ({@code AGE} = 5): a reading of surprise 10 (score {@code 1 - 1e-10}) whose event peaked at 12, its
     * 5th flagged reading in a row, emits {@code 4 + (10 - 4) / (1 + 5 / 5) = 7} (score {@code 1 - 1e-7}); at the
     * 10th, {@code 4 + 6 / 3 = 6}; beyond the exact range, surprise 20 at peak 30 and age 5: {@code 4 + 16 / 2 = 12}
     * ({@code 1 - 1e-12}). A new peak (surprise 10 with the event's peak at 9), a first reading (peak 0: the alarm
     * armed) and age 0 keep their scores; nothing falls below the threshold.
     */
    @Test
    void aStandingEventsReadingsEmitLessAboveTheThresholdAsTheEventAges() {
        double s10 = 1 - 1e-10;
        // in surprises: 1 - 1e-10 in double precision is 1e-10 to about 1e-6 relatively
        assertEquals(7, AnomalyDetector.surprise(StandingTail.score(s10, THRESHOLD, 12, 5, true)), 1e-5);
        assertEquals(6, AnomalyDetector.surprise(StandingTail.score(s10, THRESHOLD, 12, 10, true)), 1e-5);
        double s20 = AnomalyDetector.scoreOfSurprise(20);
        // beyond 12 the score's doubles lie about 1e-16 apart: surprises are kept to about 0.01
        assertEquals(20, AnomalyDetector.surprise(s20), 0.01);
        assertEquals(12, AnomalyDetector.surprise(StandingTail.score(s20, THRESHOLD, 30, 5, true)), 0.01);
        assertEquals(s10, StandingTail.score(s10, THRESHOLD, 9, 10, true));
        assertEquals(s10, StandingTail.score(s10, THRESHOLD, 0, 10, false));
        assertEquals(s10, StandingTail.score(s10, THRESHOLD, 12, 0, true));
        assertEquals(THRESHOLD, StandingTail.score(THRESHOLD, THRESHOLD, 12, 1000, true));
        assertTrue(StandingTail.score(0.99991, THRESHOLD, 12, 1e9, true) >= THRESHOLD);
    }

    /**
     * The lull ({@code LULL_TOP} = 2, {@code LULL} = 0.2: the band of surprises [1.8, 2)): while the alarm stands, a
     * reading below the threshold of surprise 1 (score 0.9) emits {@code 1.8 + 0.2 * 1 / 2 = 1.9} (score {@code 1 -
     * 10^-1.9}); of surprise 0 (score 0), {@code 1.8}; of surprise 1.5, {@code 1.95}; from surprise 2 (0.99) up to the
     * threshold a score is kept. The order is kept. Without a standing alarm every score below the threshold is
     * returned as it is; with a threshold of 0.9 (surprise 1) the band is [0.8, 1).
     */
    @Test
    void aStandingEventsReadingsBelowTheThresholdRankInABandBelowTheCalibratedLevels() {
        assertEquals(1.9, AnomalyDetector.surprise(StandingTail.score(0.9, THRESHOLD, 12, 0, true)), 1e-9);
        assertEquals(1.8, AnomalyDetector.surprise(StandingTail.score(0.0, THRESHOLD, 12, 0, true)), 1e-9);
        double s15 = AnomalyDetector.scoreOfSurprise(1.5);
        assertEquals(1.95, AnomalyDetector.surprise(StandingTail.score(s15, THRESHOLD, 12, 0, true)), 1e-9);
        assertEquals(0.99, StandingTail.score(0.99, THRESHOLD, 12, 0, true));
        assertEquals(0.999, StandingTail.score(0.999, THRESHOLD, 12, 0, true));
        double justBelow = Math.nextDown(THRESHOLD);
        assertEquals(justBelow, StandingTail.score(justBelow, THRESHOLD, 12, 0, true));
        assertTrue(StandingTail.score(0.5, THRESHOLD, 12, 0, true) < StandingTail.score(0.9, THRESHOLD, 12, 0, true));
        assertEquals(0.9, StandingTail.score(0.9, THRESHOLD, 0, 0, false));
        assertEquals(0.0, StandingTail.score(0.0, THRESHOLD, 0, 0, false));
        assertEquals(0.8, AnomalyDetector.surprise(StandingTail.score(0.0, 0.9, 0, 0, true)), 1e-9);
        assertTrue(StandingTail.score(0.85, 0.9, 0, 0, true) < 0.9);
    }

    /**
     * Either rule, over random scores, peaks, ages and standing: a score is at or above the threshold after the rules
     * exactly when it was before (no verdict or alarm can change), a score below the threshold never falls, and one
     * at or above it never rises.
     */
    @Test
    void neitherRuleMovesAScoreAcrossTheThreshold() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            double score = random.nextInt(4) == 0 ? AnomalyDetector.scoreOfSurprise(random.nextDouble(0, 40))
                    : 1 - Math.pow(10, -random.nextDouble(0, 5));
            double peak = random.nextBoolean() ? 0 : random.nextDouble(0, 40);
            double out = StandingTail.score(score, THRESHOLD, peak, random.nextInt(2000), random.nextBoolean());
            assertEquals(score >= THRESHOLD, out >= THRESHOLD, "score " + score);
            assertTrue(score >= THRESHOLD ? out <= score : out >= score, "score " + score + " -> " + out);
        }
    }
}
