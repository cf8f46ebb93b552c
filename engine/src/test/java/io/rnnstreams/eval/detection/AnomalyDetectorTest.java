package io.rnnstreams.eval.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {
    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Normal data: the score crosses 0.99 / 0.999 on about 1% / 0.1% of the readings (within a factor 2). */
    @Test
    void calibratedOnGaussianReadingsAndErrors() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 2);
        double[] state = detector.newState();
        SplittableRandom random = new SplittableRandom(3);
        int n = 100_000;
        int above99 = 0;
        int above999 = 0;
        for (int t = 0; t < n; t++) {
            double[] x = {gaussian(random), 5 + 2 * gaussian(random)};
            double[] e = {gaussian(random), 2 * gaussian(random)};
            AnomalyDetector.Result r = detector.update(state, x, t == 0 ? null : e);
            assertTrue(r.score() >= 0 && r.score() <= 1);
            if (t >= 1000) {
                above99 += r.score() >= 0.99 ? 1 : 0;
                above999 += r.score() >= 0.999 ? 1 : 0;
            }
        }
        double f99 = above99 / (double) (n - 1000);
        double f999 = above999 / (double) (n - 1000);
        assertTrue(f99 > 0.005 && f99 < 0.02, "fraction >= 0.99: " + f99);
        assertTrue(f999 > 0.0005 && f999 < 0.002, "fraction >= 0.999: " + f999);
    }

    @Test
    void warmUpFlagUntilEnoughNormalReadings() {
        DetectorConfig config = DetectorConfig.DEFAULTS;
        AnomalyDetector detector = new AnomalyDetector(config, 1);
        double[] state = detector.newState();
        SplittableRandom random = new SplittableRandom(5);
        for (int t = 0; t < config.warmup(); t++) {
            AnomalyDetector.Result r = detector.update(state, new double[] {gaussian(random)}, null);
            assertTrue(r.warmingUp());
            assertEquals(0.0, r.score());
            assertFalse(r.alarm());
        }
        assertFalse(detector.update(state, new double[] {gaussian(random)}, null).warmingUp());
    }

    /** A spike raises one alarm, names its channel, and is not learned as normal. */
    @Test
    void aSpikeRaisesOneAlarmOnItsChannel() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 3);
        double[] state = detector.newState();
        SplittableRandom random = new SplittableRandom(7);
        int alarms = 0;
        for (int t = 0; t < 3000; t++) {
            double[] e = {gaussian(random), gaussian(random), gaussian(random)};
            double[] x = e.clone();
            boolean spike = t == 2500;
            if (spike) {
                e[1] += 12;
                x[1] += 12;
            }
            AnomalyDetector.Result r = detector.update(state, x, t == 0 ? null : e);
            if (spike) {
                assertTrue(r.alarm(), "alarm at the spike, score " + r.score());
                assertTrue(r.contributions()[1] > 0.9, "channel 1 named: " + java.util.Arrays.toString(r.contributions()));
            }
            if (t > 2000 && r.alarm()) {
                alarms++;
            }
        }
        assertTrue(alarms <= 2, "alarms after t = 2000, the spike's included: " + alarms);
    }

    /**
     * The alarm is active from the reading that raised it until {@code quiet} readings in a row are below the
     * threshold; never before the first alarm.
     */
    @Test
    void anAlarmIsActiveUntilQuietReadingsInARow() {
        DetectorConfig config = DetectorConfig.DEFAULTS;
        AnomalyDetector detector = new AnomalyDetector(config, 1);
        double[] state = detector.newState();
        assertFalse(AnomalyDetector.alarmActive(state), "a fresh state");
        SplittableRandom random = new SplittableRandom(11);
        int raisedAt = -1;
        int openedAt = -1;
        int below = 0;
        for (int t = 0; t < 3000 && openedAt < 0; t++) {
            double e = gaussian(random) + (t == 2500 ? 12 : 0);
            AnomalyDetector.Result r = detector.update(state, new double[] {e}, t == 0 ? null : new double[] {e});
            if (r.alarm()) {
                raisedAt = t;
                below = 0;
            } else if (raisedAt >= 0) {
                below = r.score() < config.threshold() ? below + 1 : 0;
            }
            boolean expected = raisedAt >= 0 && below < config.quiet();
            assertEquals(expected, AnomalyDetector.alarmActive(state), "reading " + t + ", score " + r.score());
            if (raisedAt >= 0 && !expected) {
                openedAt = t;
            }
        }
        assertTrue(raisedAt >= 0, "an alarm was raised");
        assertTrue(openedAt - raisedAt >= config.quiet(), "active for at least quiet readings: " + raisedAt
                + " .. " + openedAt);
    }

    /** A lasting level shift stays flagged while quarantined, and is absorbed without quarantine. */
    @Test
    void quarantineKeepsALastingShiftFlagged() {
        for (boolean quarantine : new boolean[] {true, false}) {
            AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS.withQuarantine(quarantine), 1);
            double[] state = detector.newState();
            SplittableRandom random = new SplittableRandom(9);
            int flaggedLate = 0;
            int alarms = 0;
            for (int t = 0; t < 2400; t++) {
                double shift = t >= 2000 ? 4 : 0; // forecaster errors stay ordinary: it has adapted
                AnomalyDetector.Result r = detector.update(state, new double[] {shift + gaussian(random)},
                        new double[] {gaussian(random)});
                if (t >= 2300 && r.flagged()) {
                    flaggedLate++;
                }
                if (t >= 2000 && r.alarm()) {
                    alarms++;
                }
            }
            if (quarantine) {
                assertTrue(flaggedLate >= 95, "flagged of the last 100 readings: " + flaggedLate);
                assertEquals(1, alarms, "one alarm for the whole shift");
            } else {
                assertTrue(flaggedLate < 50, "without quarantine the shift is learned: " + flaggedLate);
            }
        }
    }

    /** A channel constant at first (quantised sensors are) starts varying: its fit stays sane, a shift shows. */
    @Test
    void aChannelThatIsConstantAtFirstIsTestedOnceItVaries() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 2);
        double[] state = detector.newState();
        SplittableRandom random = new SplittableRandom(13);
        int flaggedBefore = 0;
        int flaggedDuring = 0;
        for (int t = 0; t < 3000; t++) {
            double first = t < 300 ? 5.0 : 5.0 + 0.01 * gaussian(random) + (t >= 2800 ? 0.1 : 0);
            AnomalyDetector.Result r = detector.update(state, new double[] {first, gaussian(random)}, null);
            if (t >= 300 && t < 2800 && r.flagged()) {
                flaggedBefore++;
            }
            if (t >= 2850 && r.flagged()) {
                flaggedDuring++;
            }
        }
        assertTrue(flaggedBefore <= 5, "flagged while normal: " + flaggedBefore);
        assertTrue(flaggedDuring >= 140, "flagged of the 150 readings 50 after a 10-sigma shift: " + flaggedDuring);
    }

    @Test
    void stateSizeAndValidation() {
        assertEquals(7 + 7 * 3, AnomalyDetector.stateSize(3));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new DetectorConfig(10, 10, 100, 0.999, 30, 1000, true));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new DetectorConfig(10, 3000, 100, 1.0, 30, 1000, true));
    }
}
