package io.rnnstreams.eval.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** NAB's scoring rules on hand-made series; expected values computed by hand from sweeper.py's formulas. */
class NabScorerTest {
    private static final double EPS = 1e-9;

    /** 40 rows, one window on rows 10..19 (width 10), all scored; score 1 on the given rows. */
    private static ScoredSeries series(int... detections) {
        double[] scores = new double[40];
        for (int d : detections) {
            scores[d] = 1.0;
        }
        boolean[] labels = new boolean[40];
        for (int i = 10; i <= 19; i++) {
            labels[i] = true;
        }
        return new ScoredSeries("s", scores, labels, List.of(new LabelledWindow(10, 19)), 0);
    }

    @Test
    void scaledSigmoidMatchesNab() {
        assertEquals(0.9866142981514305, NabScorer.scaledSigmoid(-1.0), EPS);
        assertEquals(0.0, NabScorer.scaledSigmoid(0.0), EPS);
        assertEquals(-0.9866142981514305, NabScorer.scaledSigmoid(1.0), EPS);
        assertEquals(-1.0, NabScorer.scaledSigmoid(3.0), EPS);
    }

    @Test
    void perfectDetectorScores100AndNullScores0UnderEveryProfile() {
        for (NabProfile profile : NabProfile.ALL) {
            NabScorer.Result perfect = NabScorer.optimise(List.of(series(10)), profile);
            assertEquals(100.0, perfect.normalised(), EPS, profile.name());
            assertEquals(1.0, perfect.threshold(), 0.0);
            NabScorer.Result none = NabScorer.optimise(List.of(series()), profile);
            assertEquals(0.0, none.normalised(), EPS, profile.name());
            assertEquals(-profile.fnWeight(), none.raw(), EPS);
        }
    }

    @Test
    void detectionAtTheWindowsStartEarnsTheFullReward() {
        NabScorer.Result r = NabScorer.scoreAt(List.of(series(10)), NabProfile.STANDARD, 0.5);
        assertEquals(1.0, r.raw(), EPS);
        assertEquals(1, r.detectedWindows());
    }

    @Test
    void detectionAtTheWindowsEndEarnsLittle() {
        // position -(19 - 19 + 1) / 10 = -0.1: scaledSigmoid(-0.1) / scaledSigmoid(-1) = 0.24824
        NabScorer.Result r = NabScorer.scoreAt(List.of(series(19)), NabProfile.STANDARD, 0.5);
        assertEquals(0.24824154977542992, r.raw(), EPS);
        assertEquals(62.4120774887715, r.normalised(), 1e-9);
    }

    @Test
    void onlyTheFirstDetectionInAWindowCounts() {
        NabScorer.Result r = NabScorer.scoreAt(List.of(series(12, 15, 19)), NabProfile.STANDARD, 0.5);
        NabScorer.Result first = NabScorer.scoreAt(List.of(series(12)), NabProfile.STANDARD, 0.5);
        assertEquals(first.raw(), r.raw(), EPS);
        assertEquals(0, r.falsePositives());
    }

    @Test
    void detectionJustAfterTheWindowIsAMissAndACheapFalsePositive() {
        // the window is missed (-1); row 20 lies 1 / (10 - 1) past it: 0.11 * scaledSigmoid(1/9) = -0.02979
        NabScorer.Result r = NabScorer.scoreAt(List.of(series(20)), NabProfile.STANDARD, 0.5);
        assertEquals(-1.0297931830368394, r.raw(), EPS);
        assertEquals(1, r.falsePositives());
    }

    @Test
    void falsePositiveCostGrowsWithDistanceAndIsFullBeforeTheFirstWindow() {
        double far = NabScorer.scoreAt(List.of(series(10, 30)), NabProfile.STANDARD, 0.5).raw();
        assertEquals(1.0 - 0.10951310130369775, far, EPS); // (30 - 19) / 9 past the window
        double before = NabScorer.scoreAt(List.of(series(10, 5)), NabProfile.STANDARD, 0.5).raw();
        assertEquals(1.0 - 0.11, before, EPS);
        double lowFp = NabScorer.scoreAt(List.of(series(10, 5)), NabProfile.REWARD_LOW_FP, 0.5).raw();
        assertEquals(1.0 - 0.22, lowFp, EPS);
    }

    @Test
    void rewardLowFnDoublesTheCostOfAMiss() {
        NabScorer.Result r = NabScorer.scoreAt(List.of(series(5)), NabProfile.REWARD_LOW_FN, 0.5);
        assertEquals(-2.0 - 0.11, r.raw(), EPS);
        assertEquals(-2.0, r.nullScore(), EPS);
        assertEquals(1.0, r.perfect(), EPS);
    }

    @Test
    void sweepPicksTheBestThresholdOverTheCorpusAndAgreesWithScoreAt() {
        double[] scores = new double[40];
        scores[10] = 0.9;  // the window's start
        scores[30] = 0.95; // a far false positive, above it
        ScoredSeries a = series().withScores(scores);
        ScoredSeries b = series(25); // a second file: one false positive, window missed at every threshold
        List<ScoredSeries> corpus = List.of(a, b);
        NabScorer.Result best = NabScorer.optimise(corpus, NabProfile.STANDARD);
        assertEquals(0.9, best.threshold(), 0.0);
        NabScorer.Result same = NabScorer.scoreAt(corpus, NabProfile.STANDARD, 0.9);
        assertEquals(same.raw(), best.raw(), EPS);
        // window a detected (+1), a's far FP, window b missed (-1); b's FP at 1.0 is also above 0.9
        double bFp = 0.11 * NabScorer.scaledSigmoid((25 - 19) / 9.0);
        assertEquals(1.0 - 0.10951310130369775 - 1.0 + bFp, best.raw(), EPS);
        assertEquals(2, best.windows());
    }

    @Test
    void probationRowsAndWindowsInsideTheProbationAreNotScored() {
        double[] scores = new double[40];
        scores[3] = 1.0; // a detection in the probation: neither a false positive nor anything else
        scores[10] = 1.0;
        boolean[] labels = new boolean[40];
        ScoredSeries s = new ScoredSeries("p", scores, labels,
                List.of(new LabelledWindow(0, 4), new LabelledWindow(10, 19)), 5);
        NabScorer.Result r = NabScorer.optimise(List.of(s), NabProfile.STANDARD);
        assertEquals(1, r.windows());
        assertEquals(100.0, r.normalised(), EPS);
        assertEquals(0, r.falsePositives());
    }
}
