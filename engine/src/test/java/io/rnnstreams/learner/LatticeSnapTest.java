package io.rnnstreams.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link LatticeSnap} on hand-worked readings. */
class LatticeSnapTest {
    @Test
    void snapsToTheSmallestStepsLatticeThroughTheLastReading() {
        assertEquals(1.5, LatticeSnap.snap(1.62, 1.0, 0.25), 1e-15);
        assertEquals(0.75, LatticeSnap.snap(0.8, 1.0, 0.25), 1e-15);
        assertEquals(1.62, LatticeSnap.snap(1.62, 1.0, 0.0), "no quantum yet: unchanged");
    }

    @Test
    void aThresholdOtherThanAHalfMovesTheLevelBoundaries() {
        // 2.48 quanta up: |n| = floor(2.48 + 1 - t): 2 at t = 0.5 (the nearest level) and at t = 0.6, 3 at t = 0.3
        assertEquals(1.5, LatticeSnap.snap(1.62, 1.0, 0.25, 0.5), 1e-15);
        assertEquals(1.75, LatticeSnap.snap(1.62, 1.0, 0.25, 0.3), 1e-15);
        assertEquals(1.5, LatticeSnap.snap(1.62, 1.0, 0.25, 0.6), 1e-15);
        // 2.8 quanta up: 3 at t = 0.5, 2 at t = 0.9 (floor(2.8 + 0.1))
        assertEquals(1.75, LatticeSnap.snap(1.7, 1.0, 0.25, 0.5), 1e-15);
        assertEquals(1.5, LatticeSnap.snap(1.7, 1.0, 0.25, 0.9), 1e-15);
        // 0.4 quanta down: the last reading at t = 0.5, one quantum down at t = 0.3 (0.4 >= 0.3), the same sign
        assertEquals(1.0, LatticeSnap.snap(0.9, 1.0, 0.25, 0.5), 1e-15);
        assertEquals(0.75, LatticeSnap.snap(0.9, 1.0, 0.25, 0.3), 1e-15);
        // 0.2 quanta: below the threshold, the last reading
        assertEquals(1.0, LatticeSnap.snap(1.05, 1.0, 0.25, 0.3), 1e-15);
        assertEquals(1.62, LatticeSnap.snap(1.62, 1.0, 0.0, 0.3), "no quantum yet: unchanged");
    }

    @Test
    void learnsTheQuantumAndSnapsOnlyWhileThatHasRecentlyHelped() {
        int d = 2;
        double[] s = new double[LatticeSnap.PER_CHANNEL * d];
        double r = HybridForecaster.GAIN_RATE;
        // before any error the raw forecast is used
        assertEquals(1.1, LatticeSnap.forecast(s, d, 1, 1.1, 1.0), 1e-15);
        // channel 1: a repeat is no step, and without a quantum the snap is the raw forecast: no advantage
        LatticeSnap.update(s, d, 1, 1.0, 1.0, 1.1);
        assertEquals(0.0, s[1]);
        assertEquals(0.0, s[3]);
        // a step of 0.5, then one of 0.25: the quantum is the smaller; one below 1e-6 of the magnitude is ignored
        // (a repeat, as before: the channel is quantised, its quantum positive)
        LatticeSnap.update(s, d, 1, 1.5, 1.0, 1.1);
        assertEquals(-0.5, s[1], 1e-15, "no repeat since the first step yet: negative");
        LatticeSnap.update(s, d, 1, 1.5, 1.5, 1.5);
        assertEquals(0.5, s[1], 1e-15);
        // raw 1.4 made at 1.5 errs 0.15 against 1.25; its snap (q = 0.5) 1.5 errs 0.25: advantage -0.1
        LatticeSnap.update(s, d, 1, 1.25, 1.5, 1.4);
        assertEquals(0.25, s[1], 1e-15);
        assertEquals(-0.1 * r, s[3], 1e-15);
        LatticeSnap.update(s, d, 1, 1.25 + 1e-7, 1.25, 1.25);
        assertEquals(0.25, s[1], 1e-15);
        assertEquals(1.30, LatticeSnap.forecast(s, d, 1, 1.30, 1.25), 1e-15, "the snap has not helped");
        // readings that repeat: the snap (the last reading) errs 0, the raw forecast 0.05
        for (int i = 0; i < 5; i++) {
            LatticeSnap.update(s, d, 1, 1.25, 1.25, 1.30);
        }
        assertEquals(1.25, LatticeSnap.forecast(s, d, 1, 1.30, 1.25), 1e-15);
        assertEquals(1.50, LatticeSnap.forecast(s, d, 1, 1.40, 1.25), 1e-15);
        assertEquals(0.0, s[0], "channel 0 untouched");
        assertEquals(0.0, s[2], "channel 0 untouched");
    }

    @Test
    void aChannelThatNeverRepeatsIsNeverSnapped() {
        double[] s = new double[LatticeSnap.PER_CHANNEL];
        // readings 1, 1.25, 1.5, ... with the raw forecast always 0.2 above the last reading: the snap (the last
        // reading plus the quantum 0.25) would be exact, and its advantage is positive, but nothing ever repeats
        for (int t = 1; t < 100; t++) {
            LatticeSnap.update(s, 1, 0, 1 + 0.25 * t, 1 + 0.25 * (t - 1), 1.2 + 0.25 * (t - 1));
        }
        assertEquals(-0.25, s[0], 1e-12);
        assertTrue(s[1] > 0, "the snap would have helped: " + s[1]);
        assertEquals(25.95, LatticeSnap.forecast(s, 1, 0, 25.95, 25.75), 1e-15);
    }
}
