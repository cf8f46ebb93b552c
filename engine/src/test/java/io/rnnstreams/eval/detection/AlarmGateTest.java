package io.rnnstreams.eval.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The escalation re-alarm on hand-worked sequences: scores {@code 1 - 10^-s} of surprise {@code s}, threshold
 * 0.9999 (surprise 4), quiet 3, escalation 2.
 */
class AlarmGateTest {
    private static final AlarmGate GATE = new AlarmGate(0.9999, 3, 2.0);

    /** The score of surprise {@code s} ({@code -log10 p}). */
    private static double s(double surprise) {
        return 1.0 - Math.pow(10, -surprise);
    }

    /**
     * An event whose reading passes twice its peak so far (every reading of the event counts towards the peak,
     * not only its alarms) re-alarms once there.
     */
    @Test
    void anEventEscalatingPastTwiceItsPeakReAlarmsOnce() {
        double[] scores = {s(0.3), s(2.5), s(5), s(4.5), s(4.9), s(10.5), s(12), s(8), s(0.3), s(0.3), s(0.3), s(0.3)};
        // 2.5: below the threshold; 5: the event's alarm (peak 5); 4.5, 4.9: not above 10; 10.5: above 2 x 5, a
        // re-alarm (peak 10.5); 12: not above 21; 8, then three quiet readings open the gate; a normal reading after
        // it raises nothing
        assertArrayEquals(new boolean[] {false, false, true, false, false, true, false, false, false, false, false,
                false}, GATE.alarms(scores));
    }

    /**
     * An event that worsens step by step, each reading within twice the worst before it, never re-alarms, however
     * far it goes in all (5 to 12 here): the peak so far rises with it.
     */
    @Test
    void anEventThatDoesNotEscalateNeverReAlarms() {
        double[] scores = new double[200];
        for (int t = 0; t < scores.length; t++) {
            scores[t] = s(5 + 7.0 * t / scores.length); // 5 .. 12, rising slowly
        }
        boolean[] alarms = GATE.alarms(scores);
        assertTrue(alarms[0]);
        for (int t = 1; t < alarms.length; t++) {
            assertFalse(alarms[t], "reading " + t);
        }
    }

    /**
     * The peak is the event's: after the gate has opened a normal row raises nothing and the next event starts
     * afresh (its own first alarm; its escalation measured from its own peak, not the earlier event's).
     */
    @Test
    void aNormalRowAfterTheEventsEndIsUnaffected() {
        double[] scores = {s(11), s(0.3), s(0.3), s(0.3), s(0.3), s(4.5), s(5), s(10.5)};
        // event 1 at 11 (peak 11), three quiet readings open the gate (peak back to 0); 0.3: nothing; event 2
        // at 4.5, 5 (peak 5); 10.5: above 2 x 5, a re-alarm (though below event 1's 11)
        assertArrayEquals(new boolean[] {true, false, false, false, false, true, false, true}, GATE.alarms(scores));
        AlarmGate.Step step = GATE.next(2, 11.0, s(0.3));
        assertEquals(AlarmGate.OPEN, step.state());
        assertEquals(0.0, step.peak(), "an open gate keeps no peak");
        AlarmGate.Step quiet = GATE.next(0, 11.0, s(2));
        assertEquals(new AlarmGate.Step(false, 1, 11.0), quiet, "a quiet reading keeps the peak");
    }

    /** A reading below the threshold never re-alarms, and NaN counts as below (no peak of NaN). */
    @Test
    void onlyReadingsAtTheThresholdReAlarm() {
        assertEquals(new AlarmGate.Step(false, 1, 1.0), new AlarmGate(0.9999, 3, 1.5).next(0, 1.0, s(3)));
        assertEquals(new AlarmGate.Step(false, 1, 5.0), GATE.next(0, 5.0, Double.NaN));
        assertEquals(new AlarmGate.Step(false, AlarmGate.OPEN, 0.0), GATE.next(AlarmGate.OPEN, 0.0, Double.NaN));
    }

    /** Without escalation (the reference detectors) one alarm per event, whatever the scores. */
    @Test
    void withoutEscalationOneAlarmPerEvent() {
        AlarmGate plain = new AlarmGate(0.9999, 3);
        assertEquals(AlarmGate.NO_ESCALATION, plain.escalation());
        double[] scores = {s(5), s(11), 1.0, 1.0};
        assertArrayEquals(new boolean[] {true, false, false, false}, plain.alarms(scores));
        assertArrayEquals(new boolean[] {true, true, true, false}, GATE.alarms(scores),
                "a score of 1 is an infinite surprise: past any multiple of a finite peak, then the peak itself");
    }

    /** An event whose peak is unknown (adopted from layout 3) is not escalated. */
    @Test
    void anUnknownPeakIsNeverExceeded() {
        assertFalse(GATE.next(0, AlarmGate.UNKNOWN_PEAK, 1.0).alarm());
    }

    @Test
    void escalationIsValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AlarmGate(0.99, 3, 1.0));
        assertTrue(e.getMessage().contains("escalation must be > 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AlarmGate(0.99, 3, Double.NaN));
    }

    /**
     * The surprise inverts the detector's score: {@code -log10(1 - score)} down to {@code p = 1e-12}, and beyond
     * it the surprise the score was ranked by ({@code P(Z > 9.2623401) = 1e-20}: surprise 20 with one test).
     */
    @Test
    void surpriseInvertsTheScore() {
        assertEquals(4.0, AnomalyDetector.surprise(0.9999), 1e-9);
        assertEquals(0.0, AnomalyDetector.surprise(0.0));
        assertEquals(0.0, AnomalyDetector.surprise(Double.NaN));
        // to the score's resolution beyond 1e-12 (about 9,000 doubles)
        assertEquals(20.0, AnomalyDetector.surprise(AnomalyDetector.score(9.2623401, 1)), 0.01);
        assertEquals(12.0, AnomalyDetector.surprise(1 - AnomalyDetector.EXACT_P), 1e-3, "continuous at 1e-12");
        assertEquals(Double.POSITIVE_INFINITY, AnomalyDetector.surprise(1.0));
        double previous = 0;
        for (double z = 1; z < 30; z += 0.5) {
            double surprise = AnomalyDetector.surprise(AnomalyDetector.score(z, 3));
            assertTrue(surprise > previous, "increasing, z = " + z);
            previous = surprise;
        }
    }

    /**
     * A lone forecast-error spike ({@link AlarmGate#SPIKE}) below surprise 6 waits one reading: it alarms there if
     * that reading is at or above the threshold too, else not at all; from surprise 6 on it alarms at once; without
     * the signal a score alarms at once as before.
     */
    @Test
    void aLoneSpikeJustPastTheThresholdWaitsForASecondReading() {
        int spike = AlarmGate.SPIKE;
        // 5 (a spike): pending; 0.3: not confirmed, open again; three quiet; 5: pending; 4.5: flagged too, the alarm
        assertArrayEquals(new boolean[] {false, false, false, false, false, true},
                GATE.alarms(new double[] {s(5), s(0.3), s(0.3), s(0.3), s(5), s(4.5)},
                        new int[] {spike, 0, 0, 0, spike, spike}));
        assertArrayEquals(new boolean[] {true}, GATE.alarms(new double[] {s(9)}, new int[] {spike}));
        assertArrayEquals(new boolean[] {true}, GATE.alarms(new double[] {s(6.01)}, new int[] {spike}), "just past the cut-off");
        assertArrayEquals(new boolean[] {false}, GATE.alarms(new double[] {s(5.9)}, new int[] {spike}), "just below");
        assertArrayEquals(new boolean[] {true}, GATE.alarms(new double[] {s(5)}, null));
        assertEquals(new AlarmGate.Step(false, AlarmGate.PENDING, 0.0), GATE.next(AlarmGate.OPEN, 0.0, s(5), spike));
        assertEquals(new AlarmGate.Step(false, AlarmGate.OPEN, 0.0), GATE.next(AlarmGate.PENDING, 0.0, s(0.3), 0));
        AlarmGate.Step confirmed = GATE.next(AlarmGate.PENDING, 0.0, s(4.5), spike);
        assertTrue(confirmed.alarm());
        assertEquals(0, confirmed.state());
        assertEquals(4.5, confirmed.peak(), 1e-9, "the event's peak starts at the confirming reading");
    }

    /**
     * While the alarm stands the detector's change signal ({@link AlarmGate#CHANGE}) raises a new alarm, at a
     * reading above or below the threshold, without opening or closing the gate; on an open gate it does nothing.
     */
    @Test
    void theChangeSignalReAlarmsWhileTheAlarmStands() {
        int change = AlarmGate.CHANGE;
        // C on the open gate: nothing; 5: the event's alarm (peak 5); 6 with C: a re-alarm (no escalation: 6 < 10);
        // 3 with C: a re-alarm below the threshold (quiet count 1); 6: the count back to 0; three quiet readings
        // open the gate; C on the open gate: nothing
        assertArrayEquals(new boolean[] {false, true, true, true, false, false, false, false, false},
                GATE.alarms(new double[] {s(0.3), s(5), s(6), s(3), s(6), s(0.3), s(0.3), s(0.3), s(0.3)},
                        new int[] {change, 0, change, change, 0, 0, 0, 0, change}));
        assertEquals(new AlarmGate.Step(true, 2, 5.0), GATE.next(1, 5.0, s(3), change));
        assertEquals(new AlarmGate.Step(false, AlarmGate.OPEN, 0.0), GATE.next(AlarmGate.OPEN, 0.0, s(3), change));
    }
}
