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
        // the warm-up, then the level reference: the channel is tested after its 30th reading of the
        // reference (warm-up + 31), its fit counts after 30 tested readings (warm-up + 61)
        int ready = config.warmup() + 61;
        for (int t = 0; t < ready; t++) {
            AnomalyDetector.Result r = detector.update(state, new double[] {gaussian(random)}, null);
            assertTrue(r.warmingUp(), "reading " + t);
            assertEquals(0.0, r.score());
            assertFalse(r.alarm());
        }
        assertFalse(detector.update(state, new double[] {gaussian(random)}, null).warmingUp());
    }

    /** A level shift right after the warm-up is flagged: the level test is ready when the warm-up flag clears. */
    @Test
    void aShiftRightAfterTheWarmUpIsFlagged() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 1);
        double[] state = detector.newState();
        SplittableRandom random = new SplittableRandom(29);
        int t = 0;
        while (detector.update(state, new double[] {gaussian(random)}, null).warmingUp()) {
            t++;
        }
        AnomalyDetector.Result r = null;
        for (int k = 0; k < 20; k++) {
            r = detector.update(state, new double[] {10 + gaussian(random)}, null);
        }
        assertTrue(r.flagged(), "a 10-sigma shift after " + t + " warm-up readings, score " + r.score());
    }

    /** A constant channel never gets a level test: the warm-up flag clears at most 90 readings later. */
    @Test
    void aConstantSensorEndsItsWarmUp() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 1);
        double[] state = detector.newState();
        int warm = 0;
        for (int t = 0; t < 400; t++) {
            warm += detector.update(state, new double[] {5.0}, null).warmingUp() ? 1 : 0;
        }
        assertEquals(DetectorConfig.DEFAULTS.warmup() + 90, warm);
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

    /**
     * Escalation through the detector (one channel, the reading its own error): an 8-sigma spike raises the event's
     * alarm; a 200-sigma reading right after it (surprise far past twice the spike's) raises one more, a 9-sigma one
     * (surprise about 1.2 times the spike's) none; the normal readings after either raise nothing.
     */
    @Test
    void anEventThatGetsMarkedlyWorseReAlarmsOnce() {
        for (double next : new double[] {9, 200}) {
            AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 1);
            double[] state = detector.newState();
            SplittableRandom random = new SplittableRandom(4);
            int alarms = 0;
            double[] surprise = new double[2];
            for (int t = 0; t < 2700; t++) {
                double e = t == 2500 ? 8 : t == 2501 ? next : gaussian(random);
                AnomalyDetector.Result r = detector.update(state, new double[] {e}, t == 0 ? null : new double[] {e});
                if (t == 2500 || t == 2501) {
                    surprise[t - 2500] = AnomalyDetector.surprise(r.score());
                }
                if (t >= 2000 && r.alarm()) {
                    alarms++;
                    assertTrue(t == 2500 || t == 2501 && next == 200, "alarm at " + t + ", next " + next);
                }
            }
            double ratio = surprise[1] / surprise[0];
            assertTrue(next == 200 ? ratio > AnomalyDetector.ESCALATION : ratio > 1 && ratio < 1.5,
                    "surprises " + java.util.Arrays.toString(surprise));
            assertEquals(next == 200 ? 2 : 1, alarms, "next " + next);
            assertFalse(AnomalyDetector.alarmActive(state), "the event is over");
        }
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

    /**
     * A fault that leaves an offset behind (SKAB's faults: a 20-sigma jump, then the sensor settles 3 sigma away
     * from where it was): flagged while it lasts, and once its statistic has settled far below its peak the new
     * level is the normal one, so the readings after it are not flagged for the rest of the hold. A fault that
     * stays where it jumped stays flagged.
     */
    @Test
    void anEventThatLeavesAnOffsetEndsOnceItSettles() {
        int[] afterLeft = flaggedInPhases(3.0);
        assertTrue(afterLeft[0] <= 5, "flagged while normal: " + afterLeft[0]);
        assertTrue(afterLeft[1] >= 195, "flagged of the 200 fault readings: " + afterLeft[1]);
        // the short mean needs about 10 readings to come down, then quiet (30) settled readings end the event
        assertTrue(afterLeft[2] <= 60, "flagged of the 400 readings after the fault: " + afterLeft[2]);
        int[] stays = flaggedInPhases(20.0);
        assertTrue(stays[1] + stays[2] >= 595, "a fault that stays, flagged of 600: " + (stays[1] + stays[2]));
    }

    /** Flagged readings of 1,000 normal ones, 200 at +20 sigma, then 400 at {@code after} sigma. */
    private static int[] flaggedInPhases(double after) {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 1);
        double[] state = detector.newState();
        SplittableRandom random = new SplittableRandom(17);
        int[] flagged = new int[3];
        for (int t = 0; t < 1600; t++) {
            double offset = t < 1000 ? 0 : t < 1200 ? 20 : after;
            AnomalyDetector.Result r = detector.update(state, new double[] {offset + gaussian(random)},
                    t == 0 ? null : new double[] {gaussian(random)});
            if (t >= 300 && r.flagged()) {
                flagged[t < 1000 ? 0 : t < 1200 ? 1 : 2]++;
            }
        }
        return flagged;
    }

    /**
     * A state of layout 2 ({@code D + 4} doubles fewer, mark -2) keeps what it learned, with no event under way, its
     * gate open, a peak surprise of 0 and the change test's event level at the short mean (its hold over); layout 1
     * starts afresh.
     */
    @Test
    void aStateOfLayoutTwoIsAdopted() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 3);
        double[] state = detector.newState();
        SplittableRandom random = new SplittableRandom(2);
        for (int t = 0; t < 300; t++) {
            detector.update(state, new double[] {gaussian(random), gaussian(random), gaussian(random)}, null);
        }
        assertFalse(AnomalyDetector.alarmActive(state), "the gate is open");
        double[] layoutTwo = java.util.Arrays.copyOf(state, state.length - 7);
        layoutTwo[0] = -2.0;
        double[] adopted = AnomalyDetector.adopt(layoutTwo, 3);
        assertTrue(AnomalyDetector.isState(adopted, 3));
        double[] expected = state.clone();
        int change = expected.length - 4;
        expected[change - 3] = 0;
        expected[change - 2] = 0;
        expected[change - 1] = 0;
        for (int c = 0; c < 3; c++) {
            expected[change + c] = state[AnomalyDetector.HEADER + AnomalyDetector.PER_CHANNEL * c + 1];
        }
        expected[change + 3] = 1e9;
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, adopted, 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(AnomalyDetector.initialState(3),
                AnomalyDetector.adopt(new double[7 + 7 * 3], 3), 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(AnomalyDetector.initialState(2),
                AnomalyDetector.adopt(layoutTwo, 2), 0.0);
        double[] copy = AnomalyDetector.adopt(state, 3);
        org.junit.jupiter.api.Assertions.assertArrayEquals(state, copy, 0.0);
        assertFalse(copy == state, "a copy");
    }

    /**
     * A state of layout 3 (the alarm's peak surprise missing, mark -3) keeps everything, its alarm standing: that
     * event's peak is unknown, so it raises no re-alarm (however much worse it gets); once the gate has opened,
     * the next event escalates as usual.
     */
    @Test
    void aStateOfLayoutThreeIsAdoptedWithItsAlarmStanding() {
        DetectorConfig config = DetectorConfig.DEFAULTS;
        AnomalyDetector detector = new AnomalyDetector(config, 1);
        double[] state = detector.newState();
        SplittableRandom random = new SplittableRandom(4);
        for (int t = 0; t < 2000; t++) {
            double e = gaussian(random);
            detector.update(state, new double[] {e}, t == 0 ? null : new double[] {e});
        }
        assertTrue(detector.update(state, new double[] {8}, new double[] {8}).alarm(), "an 8-sigma spike alarms");
        assertTrue(AnomalyDetector.alarmActive(state));
        double[] layoutThree = java.util.Arrays.copyOf(state, state.length - 3);
        layoutThree[0] = -3.0;
        double[] adopted = AnomalyDetector.adopt(layoutThree, 1);
        double[] expected = state.clone();
        expected[expected.length - 3] = AlarmGate.UNKNOWN_PEAK;
        expected[expected.length - 2] = state[AnomalyDetector.HEADER + 1];
        expected[expected.length - 1] = 1e9;
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, adopted, 0.0);
        double[] kept = state.clone();
        // 200 sigma: far past twice the 8-sigma spike's surprise (its p about 1e-15, this one's below 1e-8000)
        assertTrue(detector.update(kept, new double[] {200}, new double[] {200}).alarm(), "a state of this layout re-alarms");
        AnomalyDetector.Result worse = detector.update(adopted, new double[] {200}, new double[] {200});
        assertEquals(AlarmGate.UNKNOWN_PEAK, adopted[adopted.length - 3], "an adopted standing alarm's peak stays "
                + "unknown: it does not escalate");
        assertTrue(worse.alarm() && (worse.signals() & AlarmGate.CHANGE) != 0, "its change test (layout 5, which "
                + "needs no peak) re-alarms");
        int alarms = 0;
        for (int t = 0; t < 100; t++) {
            double e = gaussian(random);
            alarms += detector.update(adopted, new double[] {e}, new double[] {e}).alarm() ? 1 : 0;
        }
        assertFalse(AnomalyDetector.alarmActive(adopted), "the gate opened: " + alarms + " alarms");
        assertEquals(0.0, adopted[adopted.length - 3], "no event, no peak");
    }

    @Test
    void stateSizeAndValidation() {
        assertEquals(15 + 5 * 3 + 6, AnomalyDetector.stateSize(3));
        assertEquals(91, AnomalyDetector.stateSize(8));
        assertEquals(21, AnomalyDetector.stateSize(1));
        assertTrue(AnomalyDetector.isState(AnomalyDetector.initialState(3), 3));
        assertFalse(AnomalyDetector.isState(AnomalyDetector.initialState(3), 2), "another channel count");
        for (int d = 1; d <= 64; d++) { // a layout-1 state (7 + 7 D doubles) is never taken for this layout
            assertFalse(AnomalyDetector.isState(new double[7 + 7 * d], d), "layout 1, D = " + d);
        }
        double[] unmarked = AnomalyDetector.initialState(3);
        unmarked[0] = 0;
        assertFalse(AnomalyDetector.isState(unmarked, 3), "no layout mark");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new DetectorConfig(10, 10, 100, 0.999, 30, 1000, true));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new DetectorConfig(10, 3000, 100, 1.0, 30, 1000, true));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new DetectorConfig(10, 3000, 100, 1 - 1e-13, 30, 1000, true), "beyond 1 - p's range");
        new DetectorConfig(10, 3000, 100, 1 - 1e-12, 30, 1000, true);
    }

    /**
     * The score of the largest of {@code tests} normal statistics: {@code 1 - min(1, tests P(Z > z))} down to
     * {@code p = 1e-12}, beyond it {@code 1 - 1e-12 / (1 + ln(s / 12))}, {@code s = -log10 p}. Hand-worked:
     * {@code P(Z > 3.2905267) = 0.0005}, so with two tests 0.999; {@code P(Z > 9.2623401) = 1e-20} (scipy), so
     * with one test {@code s = 20} and {@code 1 - 1e-12 / (1 + ln(20 / 12)) = 1 - 6.6189e-13}.
     */
    @Test
    void theScoreIsOneMinusPThenKeepsRankingBeyondIt() {
        assertEquals(0.0, AnomalyDetector.score(Double.NEGATIVE_INFINITY, 1), "no test");
        assertEquals(0.0, AnomalyDetector.score(0.0, 2), "p = min(1, 2 * 0.5)");
        assertEquals(0.999, AnomalyDetector.score(3.2905267314918945, 2), 1.2e-7 * 1e-3);
        assertEquals(1 - 1e-12, AnomalyDetector.score(7.034484, 1), 2.3e-16, "at the boundary, P(Z > z) = 1e-12");
        assertEquals(6.618897537012441e-13, 1 - AnomalyDetector.score(9.262340089798409, 1), 2.3e-16);
        double previous = AnomalyDetector.score(7.0, 1);
        for (double z = 7.1; z < 1e6; z *= 1.2) { // beyond p = 1e-12: still increasing, never 1
            double s = AnomalyDetector.score(z, 2);
            assertTrue(s > previous && s < 1.0, "z = " + z + ": " + s + " after " + previous);
            previous = s;
        }
    }

    /**
     * Readings far beyond {@code p = 1e-16} are still ranked: a 40-sigma level shift scores below a 400-sigma
     * one, and neither scores 1 (where {@code 1 - p} made both exactly 1).
     */
    @Test
    void hugeSurprisesAreRankedNotTied() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 1);
        double[] state = detector.newState();
        SplittableRandom random = new SplittableRandom(31);
        for (int t = 0; t < 1000; t++) {
            detector.update(state, new double[] {gaussian(random)}, null);
        }
        double[] small = state.clone();
        double[] large = state.clone();
        double smallScore = 0;
        double largeScore = 0;
        for (int t = 0; t < 5; t++) {
            double noise = gaussian(random);
            smallScore = detector.update(small, new double[] {40 + noise}, null).score();
            largeScore = detector.update(large, new double[] {400 + noise}, null).score();
        }
        assertTrue(smallScore > 1 - AnomalyDetector.EXACT_P, "40 sigma: " + smallScore);
        assertTrue(largeScore > smallScore && largeScore < 1.0, "400 sigma: " + largeScore + ", 40: " + smallScore);
    }

    /**
     * Two channels that move together (the second follows the first's wandering level, sd about 1, within
     * 0.05): the relation breaks (the second runs 3 above the first) while each channel stays inside its own
     * normal range. Only the joint test sees it; a per-channel test (shrinkage 1: the diagonal alone) does not.
     */
    @Test
    void aBrokenRelationBetweenChannelsIsFlagged() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 2);
        double[] state = detector.newState();
        SplittableRandom random = new SplittableRandom(17);
        double level = 0;
        int flaggedBefore = 0;
        int flaggedDuring = 0;
        int alarms = 0;
        for (int t = 0; t < 2400; t++) {
            level = 0.98 * level + 0.2 * gaussian(random); // a slowly wandering common level, sd about 1
            double second = t >= 2000 ? level + 3 : level;
            double[] x = {level + 0.05 * gaussian(random), second + 0.05 * gaussian(random)};
            AnomalyDetector.Result r = detector.update(state, x, null);
            if (t >= 300 && t < 2000 && r.flagged()) {
                flaggedBefore++;
            }
            if (t >= 2000 && r.flagged()) {
                flaggedDuring++;
            }
            if (t >= 2000 && r.alarm()) {
                alarms++;
            }
        }
        assertTrue(flaggedBefore <= 5, "flagged while the relation holds: " + flaggedBefore);
        assertTrue(flaggedDuring >= 200, "flagged of the 400 readings with the relation broken: " + flaggedDuring);
        assertTrue(alarms >= 1, "an alarm when the relation breaks");
    }

    /**
     * A gradual fault: one channel drifts by 8 of its standard deviations over 300 readings and stays there.
     * Learned at full weight its squared deviations would inflate the covariance before the drift is flagged
     * and the fault would be absorbed; the Huber weight keeps it flagged to the end.
     */
    @Test
    void aGradualDriftIsNotAbsorbed() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 2);
        double[] state = detector.newState();
        SplittableRandom random = new SplittableRandom(19);
        int flaggedLate = 0;
        for (int t = 0; t < 1600; t++) {
            double drift = t < 1000 ? 0 : 8 * Math.min(1.0, (t - 1000) / 300.0);
            double[] x = {drift + gaussian(random), gaussian(random)};
            AnomalyDetector.Result r = detector.update(state, x, null);
            if (t >= 1400 && r.flagged()) {
                flaggedLate++;
            }
        }
        assertTrue(flaggedLate >= 190, "flagged of the last 200 readings, the drift complete: " + flaggedLate);
    }

    /**
     * A start-up transient during the warm-up (the first 100 readings at level 10, the normal level 0) is not
     * learned into the level reference: a later shift of 4 standard deviations is flagged. Learned from the
     * first reading on, the transient's deviations would inflate the level's spread and hide it.
     */
    @Test
    void aStartUpTransientIsNotTheNormalLevel() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 1);
        double[] state = detector.newState();
        SplittableRandom random = new SplittableRandom(23);
        int flaggedNormal = 0;
        int flaggedShift = 0;
        for (int t = 0; t < 1300; t++) {
            double level = t < DetectorConfig.DEFAULTS.warmup() ? 10 : t >= 1100 ? 4 : 0;
            AnomalyDetector.Result r = detector.update(state, new double[] {level + gaussian(random)}, null);
            if (t >= 300 && t < 1100 && r.flagged()) {
                flaggedNormal++;
            }
            if (t >= 1150 && r.flagged()) {
                flaggedShift++;
            }
        }
        assertTrue(flaggedNormal <= 3, "flagged while normal: " + flaggedNormal);
        assertTrue(flaggedShift >= 140, "flagged of the 150 readings 50 after the shift: " + flaggedShift);
    }
    /**
     * Sidak's correction {@code 1 - (1 - p)^k} in the log domain: {@code p = 0.01, k = 2} gives 0.0199; below
     * {@code e^-30} it is {@code ln k + ln p} ({@code k = 3, p = 1e-20}: {@code ln 3e-20 = -44.953089571212}); a
     * p-value of 1 stays 1.
     */
    @Test
    void sidakCorrectsTheSmallestOfKPValues() {
        assertEquals(0.0199, Math.exp(AnomalyDetector.sidakLogTail(Math.log(0.01), 2)), 1e-15);
        assertEquals(-44.95308957121281, AnomalyDetector.sidakLogTail(Math.log(1e-20), 3), 1e-12);
        assertEquals(0.0, AnomalyDetector.sidakLogTail(0.0, 5));
        assertEquals(Math.log(1e-6), AnomalyDetector.sidakLogTail(Math.log(1e-6), 1), 1e-12, "one test: itself");
    }

    /**
     * A detector state set by hand, past its warm-up, every channel tested: levels and short means 0, the level
     * covariance the identity, the joint level statistic's fit of {@code L^(1/4)} mean 1.5 and variance 0.25.
     */
    private static double[] handState(AnomalyDetector detector, int channels) {
        double[] state = detector.newState();
        state[AnomalyDetector.COUNT] = 1000;
        state[AnomalyDetector.SEEN] = 1000;
        state[AnomalyDetector.LEVEL_MEAN] = 1.5;
        state[AnomalyDetector.LEVEL_VAR] = 0.25;
        state[AnomalyDetector.LEVEL_COUNT] = 1000;
        int covOffset = AnomalyDetector.HEADER + AnomalyDetector.PER_CHANNEL * channels;
        for (int c = 0; c < channels; c++) {
            state[AnomalyDetector.HEADER + AnomalyDetector.PER_CHANNEL * c + 3] = 1000; // varied: tested
            state[covOffset + ShrunkMahalanobis.packed(c, c)] = 1.0;
        }
        return state;
    }

    /**
     * Two channels, only the first shifts: the reading 27.5 moves its short mean (weight 2 / 11) to {@code d =
     * 5}, 5 of its standard deviations; the second stays at 0. The joint test dilutes it: {@code L = 25 / 2},
     * {@code z = (12.5^(1/4) - 1.5) / 0.5 = 0.7606}, tail 0.2234. The channel test: {@code p1 = 2 P(Z > 5) =
     * 5.733031e-7}, Sidak over the 2 channels {@code pC = 1 - (1 - p1)^2 = 1.1466060e-6}, Bonferroni over the
     * two tests (no forecast error): score {@code 1 - 2 pC = 0.99999770679} (scipy), flagged, on channel 0
     * alone; and still learned, because the joint test does not flag it.
     */
    @Test
    void aShiftInOneOfTwoChannelsIsFlaggedByTheChannelTest() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 2);
        double[] state = handState(detector, 2);
        AnomalyDetector.Result r = detector.update(state, new double[] {27.5, 0.0}, null);
        assertFalse(r.warmingUp());
        assertEquals(0.9999977067880823, r.score(), 1.2e-7 * 2.3e-6); // erfc to 1.2e-7 relative
        assertTrue(r.flagged());
        assertTrue(r.alarm());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1.0, 0.0}, r.contributions(), 0.0);
        assertEquals(1001, state[AnomalyDetector.COUNT], "flagged by the channel test alone: learned");
    }

    /**
     * One channel, the same step: there is no channel test (it would repeat the level test), so the score is the
     * level test's alone: {@code L = 25}, {@code z = (25^(1/4) - 1.5) / 0.5 = 1.4721}, {@code 1 - P(Z > z) =
     * 0.92950791605} (scipy).
     */
    @Test
    void oneChannelHasNoChannelTest() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 1);
        double[] state = handState(detector, 1);
        AnomalyDetector.Result r = detector.update(state, new double[] {27.5}, null);
        assertEquals(0.9295079160529647, r.score(), 1.2e-7 * 0.0705); // erfc to 1.2e-7 relative
        assertFalse(r.flagged());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1.0}, r.contributions(), 0.0);
    }

    /**
     * The corner of the channel test's learning weight, where the channel test alone scores 0.99: {@code 2 P(Z >
     * z) = 1 - (1 - 0.01 / m)^(1/k)}. By hand (Python's {@code math.erfc}, bisection): {@code m = 3, k = 8}:
     * {@code p1 = 4.17275e-4}, {@code z^2 = 12.453203}; {@code m = 2, k = 8}: 11.695924; {@code m = 2, k = 2}:
     * 9.138302. At the corner the channel test's Bonferroni-corrected Sidak tail is 0.01.
     */
    @Test
    void theChannelWeightsCornerIsWhereTheChannelTestAloneScoresPointNineNine() {
        assertEquals(12.453203, AnomalyDetector.channelHuberCorner(3, 8), 1e-5);
        assertEquals(11.695924, AnomalyDetector.channelHuberCorner(2, 8), 1e-5);
        assertEquals(9.138302, AnomalyDetector.channelHuberCorner(2, 2), 1e-5);
        for (int tests = 2; tests <= 3; tests++) {
            for (int k = 2; k <= 8; k++) {
                double z = Math.sqrt(AnomalyDetector.channelHuberCorner(tests, k));
                double log = AnomalyDetector.sidakLogTail(Math.log(2.0) + AnomalyDetector.logUpperTail(z), k);
                assertEquals(AnomalyDetector.CHANNEL_LEARN_P, tests * Math.exp(log), 1e-9, tests + " tests, " + k);
            }
        }
    }

    /**
     * Eight channels, only the first shifts: the reading 27.5 moves its short mean to {@code d = 5} ({@code z^2 =
     * 25}). The joint test dilutes it ({@code L = 25 / 8 = 3.125}, its Huber weight {@code 3 / 3.125 = 0.96}); the
     * channel test flags it but not the joint one, so it is learned, with the channel test's weight
     * {@code 11.695924 / 25 = 0.46783696} (2 tests, 8 channels): the first channel's learned variance grows by
     * that times {@code (25 - 1) / 1001} (its 1,001st varied reading), to 1.0112168; its level by that times
     * {@code 27.5 / 901} (the 901st reading of the reference), to 0.0142791. At the joint weight alone (0.96) the
     * variance would grow twice as much, to 1.0230170.
     */
    @Test
    void aStepInOneOfEightChannelsIsLearnedAtTheChannelTestsWeight() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 8);
        double[] state = handState(detector, 8);
        double[] reading = new double[8];
        reading[0] = 27.5;
        AnomalyDetector.Result r = detector.update(state, reading, null);
        assertTrue(r.flagged(), "score " + r.score());
        assertEquals(1001, state[AnomalyDetector.COUNT], "flagged by the channel test alone: learned");
        double weight = AnomalyDetector.channelHuberCorner(2, 8) / 25.0;
        assertEquals(0.46783696, weight, 1e-7);
        int covOffset = AnomalyDetector.HEADER + AnomalyDetector.PER_CHANNEL * 8;
        assertEquals(1 + weight * 24 / 1001, state[covOffset + ShrunkMahalanobis.packed(0, 0)], 1e-12);
        assertEquals(1.0112168, state[covOffset + ShrunkMahalanobis.packed(0, 0)], 1e-7);
        assertEquals(weight * 27.5 / 901, state[AnomalyDetector.HEADER], 1e-12);
        assertEquals(1 - weight / 1001, state[covOffset + ShrunkMahalanobis.packed(1, 1)], 1e-12);
    }

    /**
     * A lasting step of one of eight independent channels by 2 of its standard deviations (6.3 standard deviations
     * of its short mean; in the joint test {@code 40 / 8}, not flagged), from reading 1,000 on: the channel test
     * flags its onset, and learned at the channel test's weight the step stays flagged for 47 of its first 100
     * readings; learned at the joint test's weight alone (0.96 here) its squared deviations inflate the channel's
     * variance sooner and it is flagged on 34 (measured with the corner planted at infinity).
     */
    @Test
    void aStepInOneOfEightChannelsStaysFlaggedLonger() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 8);
        double[] state = detector.newState();
        SplittableRandom random = new SplittableRandom(29);
        int flaggedNormal = 0;
        int flaggedStep = 0;
        for (int t = 0; t < 1100; t++) {
            double[] x = new double[8];
            double[] e = new double[8];
            for (int c = 0; c < 8; c++) {
                x[c] = gaussian(random);
                e[c] = gaussian(random);
            }
            if (t >= 1000) {
                x[0] += 2.0;
            }
            AnomalyDetector.Result r = detector.update(state, x, e);
            if (t < 1000 && r.flagged()) {
                flaggedNormal++;
            }
            if (t >= 1000 && r.flagged()) {
                flaggedStep++;
            }
        }
        assertEquals(0, flaggedNormal, "flagged while normal");
        assertTrue(flaggedStep >= 42, "flagged of the step's first 100 readings: " + flaggedStep);
    }

    /**
     * A fault that begins inside a standing event (SKAB's other/4: the sensor already flagged, then its flow rate
     * falls further): two independent channels, a lasting 10-sigma step of channel 0 from reading 1,000 (its short
     * mean's ramp is not a change: channel 0 follows it during the hold, so the change test never fires on it; the
     * ramp may escalate), then from reading 1,300 channel 1
     * falls by 3 sigma of its readings, about 9.5 spreads of its 10-reading short mean ({@code sqrt(0.1)} of the
     * readings' sigma): past 5 spreads further from normal than the event's level once the short mean has moved 53%
     * of the way, in about 5 readings; the change test raises a new alarm there.
     */
    @Test
    void aFaultInsideAStandingEventRaisesANewAlarm() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 2);
        double[] state = detector.newState();
        SplittableRandom random = new SplittableRandom(21);
        int stepChanges = 0;
        int changeAt = -1;
        for (int t = 0; t < 1400; t++) {
            double[] x = {(t >= 1000 ? 10 : 0) + gaussian(random), (t >= 1300 ? -3 : 0) + gaussian(random)};
            AnomalyDetector.Result r = detector.update(state, x, t == 0 ? null
                    : new double[] {gaussian(random), gaussian(random)});
            if (t < 1000) {
                assertFalse(r.alarm() && t > 300 && (r.signals() & AlarmGate.CHANGE) != 0, "no change alarm, " + t);
            } else if (t < 1300) {
                stepChanges += (r.signals() & AlarmGate.CHANGE) != 0 ? 1 : 0;
                assertTrue(r.flagged() || t < 1003, "the step stays flagged, reading " + t);
            } else if (r.alarm() && changeAt < 0) {
                assertTrue((r.signals() & AlarmGate.CHANGE) != 0, "raised by the change test");
                changeAt = t;
            }
        }
        assertEquals(0, stepChanges, "the step's own ramp is no change");
        assertTrue(changeAt >= 1301 && changeAt <= 1310, "the new fault's alarm, at " + changeAt);
    }

    /**
     * A lone forecast error of 5 sigma on a normal reading scores past the threshold with a surprise below 8 (its
     * tail about 1e-6): it raises no alarm alone, and one at the next reading if that one is flagged too.
     */
    @Test
    void aLoneSpikeJustPastTheThresholdAlarmsOnlyWhenTheNextReadingIsFlaggedToo() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 1);
        double[] state = detector.newState();
        SplittableRandom random = new SplittableRandom(5);
        for (int t = 0; t < 2000; t++) {
            double e = 0.5 * gaussian(random);
            detector.update(state, new double[] {e}, t == 0 ? null : new double[] {e});
        }
        double rms = 0.5;
        AnomalyDetector.Result lone = detector.update(state, new double[] {0}, new double[] {5 * rms});
        assertTrue(lone.flagged(), "flagged: " + lone.score());
        double surprise = AnomalyDetector.surprise(lone.score());
        assertTrue(surprise > 4 && surprise < AlarmGate.SPIKE_CONFIRM, "surprise " + surprise);
        assertEquals(AlarmGate.SPIKE, lone.signals());
        assertFalse(lone.alarm(), "a lone spike just past the threshold waits");
        assertFalse(detector.update(state, new double[] {0}, new double[] {0}).alarm(), "not confirmed");
        assertFalse(detector.update(state, new double[] {0}, new double[] {5 * rms}).alarm(), "a second lone one");
        AnomalyDetector.Result second = detector.update(state, new double[] {0}, new double[] {5 * rms});
        assertTrue(second.flagged() && second.alarm(), "confirmed by the reading after it");
    }

    /**
     * Through the detector: a lasting 6-sigma shift under quarantine stays flagged and raises one alarm, as
     * before; its onset keeps the raw score (its readings climb as the short mean follows the shift: each a new
     * peak) while its 300th reading emits at most a tenth of the event's peak surprise above the threshold, and
     * every flagged reading still scores at or above the threshold (the verdict and the score agree).
     * ({@link #quarantineKeepsALastingShiftFlagged} is the same case at 4 sigma.)
     */
    @Test
    void aLastingShiftsTailRanksBelowItsOnset() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 1);
        double[] state = detector.newState();
        SplittableRandom random = new SplittableRandom(9);
        double threshold = DetectorConfig.DEFAULTS.threshold();
        double peak = 0;
        double late = 0;
        int alarms = 0;
        int flagged = 0;
        for (int t = 0; t < 2400; t++) {
            double shift = t >= 2000 ? 6 : 0;
            AnomalyDetector.Result r = detector.update(state, new double[] {shift + gaussian(random)},
                    new double[] {gaussian(random)});
            assertEquals(r.flagged(), r.score() >= threshold, "reading " + t);
            if (t >= 2000) {
                alarms += r.alarm() ? 1 : 0;
                flagged += r.flagged() ? 1 : 0;
                peak = Math.max(peak, AnomalyDetector.surprise(r.score()));
            }
            if (t == 2299) {
                late = AnomalyDetector.surprise(r.score());
            }
        }
        assertEquals(1, alarms);
        assertTrue(flagged >= 395, "flagged " + flagged);
        double b = AnomalyDetector.surprise(threshold);
        assertTrue(peak > 12 && late >= b && late - b <= (peak - b) / 10, "peak " + peak + ", at 300: " + late);
    }

    /**
     * {@link AnomalyDetector.Result#evidence} is the score before {@link StandingTail}, reading by reading through a
     * 6-sigma shift held for 300 readings and then gone: while no alarm stands (before the reading) the two are equal;
     * they are always on the same side of the threshold, the evidence at least the score above it and at most the
     * score below it; where they differ above the threshold the score is the tail of the evidence's surprise {@code s}
     * ({@code b + (s - b) / (1 + age / 5)}, {@code age} the flagged readings in a row), and below it the lull of it
     * ({@code 1.8 + 0.2 s / 2}). Not vacuous: both rules change readings of this event.
     */
    @Test
    void theEvidenceIsTheScoreBeforeTheStandingEventsRanking() {
        AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS, 1);
        double[] state = detector.newState();
        SplittableRandom random = new SplittableRandom(9);
        double threshold = DetectorConfig.DEFAULTS.threshold();
        double b = AnomalyDetector.surprise(threshold);
        int run = 0;
        int tails = 0;
        int lulls = 0;
        for (int t = 0; t < 3000; t++) {
            boolean stood = AnomalyDetector.alarmActive(state);
            double shift = t >= 2000 && t < 2300 ? 6 : 0;
            AnomalyDetector.Result r = detector.update(state, new double[] {shift + gaussian(random)},
                    new double[] {gaussian(random)});
            double score = r.score();
            double evidence = r.evidence();
            run = r.flagged() ? run + 1 : 0;
            assertEquals(r.flagged(), evidence >= threshold, "reading " + t);
            if (!stood || r.warmingUp()) {
                assertEquals(score, evidence, "reading " + t + ": no alarm stands");
            } else if (r.flagged()) {
                assertTrue(evidence >= score, "reading " + t);
                if (evidence != score) {
                    tails++;
                    double s = AnomalyDetector.surprise(evidence);
                    assertEquals(b + (s - b) / (1 + run / StandingTail.AGE), AnomalyDetector.surprise(score),
                            1e-6 * s, "reading " + t);
                }
            } else {
                assertTrue(evidence <= score, "reading " + t);
                if (evidence != score) {
                    lulls++;
                    assertEquals(1.8 + 0.2 * AnomalyDetector.surprise(evidence) / 2, AnomalyDetector.surprise(score),
                            1e-9, "reading " + t);
                }
            }
        }
        assertTrue(tails > 100 && lulls > 0, "tails " + tails + ", lulls " + lulls);
    }
}
