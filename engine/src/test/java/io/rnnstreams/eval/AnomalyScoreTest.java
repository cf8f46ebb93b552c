package io.rnnstreams.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.model.Series;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AnomalyScoreTest {
    private static final double[] UNIT = {1.0};

    @Test
    void erfcMatchesTabulatedValues() {
        // erfc(0) = 1, erfc(0.5) = 0.4795001222, erfc(1) = 0.1572992071, erfc(2) = 0.004677734981
        assertEquals(1.0, AnomalyScore.erfc(0), 1.2e-7);
        assertEquals(0.4795001222, AnomalyScore.erfc(0.5), 1.2e-7 * 0.48);
        assertEquals(0.1572992071, AnomalyScore.erfc(1), 1.2e-7 * 0.16);
        assertEquals(0.004677734981, AnomalyScore.erfc(2), 1.2e-7 * 0.0047);
        assertEquals(2 - 0.1572992071, AnomalyScore.erfc(-1), 1.2e-7);
        assertEquals(0.975, AnomalyScore.normalCdf(1.959964), 1e-6);
    }

    /**
     * {@code logErfc} is the log of {@code erfc} where that is a normal double, and stays finite and decreasing
     * where {@code erfc} underflows: ln erfc(5) = -27.2008895, ln erfc(20) = -403.5693433, ln erfc(30) =
     * -903.9741171 (scipy), within erfc's relative error 1.2e-7.
     */
    @Test
    void logErfcIsTheLogOfErfcAndDoesNotUnderflow() {
        for (double x : new double[] {-2, -0.5, 0, 0.5, 1, 2, 5, 10}) {
            assertEquals(Math.log(AnomalyScore.erfc(x)), AnomalyScore.logErfc(x), 1e-12, "x = " + x);
        }
        assertEquals(-27.200889545537436, AnomalyScore.logErfc(5), 1.2e-7);
        assertEquals(-403.56934333410425, AnomalyScore.logErfc(20), 1.2e-7);
        assertEquals(0.0, AnomalyScore.erfc(30), "erfc itself underflows");
        assertEquals(-903.9741171106442, AnomalyScore.logErfc(30), 1.2e-7);
        double previous = 0;
        for (double x = 1; x <= 1e6; x *= 1.5) {
            double l = AnomalyScore.logErfc(x);
            assertTrue(Double.isFinite(l) && l < previous, "x = " + x + ": " + l);
            previous = l;
        }
    }

    /** Gaussian errors: the score stays below 0.99 almost always; a spike and a shift go above it. */
    @Test
    void quietOnGaussianErrorsLoudOnASpikeAndOnAShift() {
        AnomalyScore score = new AnomalyScore(10, 500);
        double[] state = new double[AnomalyScore.STATE_SIZE];
        SplittableRandom random = new SplittableRandom(5);
        int alarms = 0;
        double first = -1;
        for (int t = 0; t < 20_000; t++) {
            double s = score.update(state, new double[] {Series.gaussian(random)}, UNIT);
            if (t == 0) {
                first = s;
            }
            assertTrue(s >= 0 && s <= 1);
            if (s >= 0.99) {
                alarms++;
            }
        }
        assertEquals(0.0, first, "no score before 2 x short window errors");
        System.out.printf("anomaly score on 20,000 Gaussian errors: %d at or above 0.99%n", alarms);
        assertTrue(alarms < 60, "false alarms: " + alarms);

        double[] spikeState = state.clone();
        double spike = score.update(spikeState, new double[] {10.0}, UNIT);
        assertTrue(spike >= 0.99, "a 10-sigma error scores " + spike);

        double[] shiftState = state.clone();
        double shifted = 0;
        for (int t = 0; t < 10; t++) {
            shifted = score.update(shiftState, new double[] {3 * Series.gaussian(random)}, UNIT);
        }
        assertTrue(shifted >= 0.99, "ten errors at 3x the usual spread score " + shifted);
    }

    @Test
    void scaleInvariantAndDeterministic() {
        AnomalyScore score = new AnomalyScore(5, 50);
        double[] a = new double[AnomalyScore.STATE_SIZE];
        double[] b = new double[AnomalyScore.STATE_SIZE];
        SplittableRandom random = new SplittableRandom(1);
        for (int t = 0; t < 300; t++) {
            double e = Series.gaussian(random);
            double sa = score.update(a, new double[] {e}, new double[] {1});
            double sb = score.update(b, new double[] {1000 * e}, new double[] {1000});
            assertEquals(sa, sb, 1e-12, "the same score for a sensor 1000x larger");
        }
        assertThrows(IllegalArgumentException.class, () -> new AnomalyScore(10, 10));
    }

    /** A diverging model's errors over a tiny scale overflow their squares: the score and state stay finite. */
    @Test
    void overflowingErrorsKeepScoreAndStateFinite() {
        AnomalyScore score = new AnomalyScore(10, 500);
        double[] state = new double[AnomalyScore.STATE_SIZE];
        for (int t = 0; t < 100; t++) {
            double s = score.update(state, new double[] {t % 7 == 0 ? 1e300 : 0.5}, new double[] {1e-10});
            assertTrue(Double.isFinite(s) && s >= 0 && s <= 1, "score " + s + " at " + t);
            for (double v : state) {
                assertTrue(Double.isFinite(v), "state " + java.util.Arrays.toString(state) + " at " + t);
            }
        }
    }
}
