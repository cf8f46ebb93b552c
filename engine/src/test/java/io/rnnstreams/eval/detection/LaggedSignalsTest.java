package io.rnnstreams.eval.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LaggedSignalsTest {
    private static final double THRESHOLD = 0.99;

    /** The lagged scores and their signals of a run of online scores and signals, at lag {@code lag}. */
    private record Lagged(double[] scores, int[] signals) {
        static Lagged of(int lag, double[] online, int[] onlineSignals) {
            LaggedScore score = new LaggedScore(lag);
            LaggedSignals signalled = new LaggedSignals(lag, THRESHOLD);
            double[] scoreState = score.newState();
            double[] signalState = signalled.newState();
            double[] scores = new double[online.length];
            int[] signals = new int[online.length];
            for (int t = 0; t < online.length; t++) {
                double s = score.update(scoreState, online[t]);
                scores[t] = Double.isNaN(s) ? 0.0 : s;
                signals[t] = signalled.update(signalState, online[t], onlineSignals[t], score, scoreState);
            }
            return new Lagged(scores, signals);
        }

        boolean[] alarms() {
            return new AlarmGate(THRESHOLD, 3, AnomalyDetector.ESCALATION).alarms(scores, signals);
        }
    }

    /**
     * L = 2, a lone spike: reading 0 online 1 - 1e-6 (its forecast error's, SPIKE), its successors 0.5. The verdict
     * on reading 0 at row 2: tails 1e-6, 0.5, 0.5, persistence min(1, 1.5 x 0.5), its own 1e-6 decides: p = 2e-6,
     * surprise 5.7 < 8; its successor is not flagged: SPIKE, and the gate holds it pending; the next verdict (reading
     * 1: tails 0.5, 0.5, 0.5) is 0: refuted, no alarm. Without the signal the same scores alarm at row 2.
     */
    @Test
    void aLoneSpikeIsRefutedByItsSuccessor() {
        Lagged lagged = Lagged.of(2, new double[] {1 - 1e-6, 0.5, 0.5, 0.5, 0.5},
                new int[] {AlarmGate.SPIKE, 0, 0, 0, 0});
        assertArrayEquals(new int[] {0, 0, AlarmGate.SPIKE, 0, 0}, lagged.signals());
        assertEquals(1 - 2e-6, lagged.scores()[2], 1e-12);
        assertArrayEquals(new boolean[5], lagged.alarms());
        assertArrayEquals(new boolean[] {false, false, true, false, false},
                new AlarmGate(THRESHOLD, 3, AnomalyDetector.ESCALATION).alarms(lagged.scores()));
    }

    /**
     * L = 2, the same spike with its successor flagged online (0.995, tail 5e-3): confirmed in hindsight, no SPIKE,
     * the verdict on reading 0 (p = 2 min(1.5 x 5e-3, 1e-6) = 2e-6) alarms at once, at row 2; online it would have
     * alarmed at reading 1, after a reading pending.
     */
    @Test
    void aSpikeWhoseSuccessorIsFlaggedAlarmsAtOnce() {
        Lagged lagged = Lagged.of(2, new double[] {1 - 1e-6, 0.995, 0.5, 0.5, 0.5},
                new int[] {AlarmGate.SPIKE, 0, 0, 0, 0});
        assertArrayEquals(new int[5], lagged.signals());
        assertEquals(1 - 2e-6, lagged.scores()[2], 1e-12);
        assertArrayEquals(new boolean[] {false, false, true, false, false}, lagged.alarms());
    }

    /**
     * L = 3 (n = 4, Rüger's factor 2): reading 0 a lone error spike of tail 1e-3 (its successor 0.5), readings 2 and 3
     * 1 - 1e-6: persistence 2 x 1e-6 beats its own 1e-3, the verdict is a change in the successors, not the spike:
     * no SPIKE (p = 4e-6), it alarms at once.
     */
    @Test
    void aVerdictOfPersistenceCarriesNoSpike() {
        Lagged lagged = Lagged.of(3, new double[] {0.999, 0.5, 1 - 1e-6, 1 - 1e-6, 0.5},
                new int[] {AlarmGate.SPIKE, 0, AlarmGate.SPIKE, 0, 0});
        assertEquals(0, lagged.signals()[3]);
        assertEquals(1 - 4e-6, lagged.scores()[3], 1e-12);
        assertEquals(true, lagged.alarms()[3]);
    }

    /**
     * The signals of reading s are the verdict's on s, at row s + L; none during the first L rows. Reading 1 also
     * keeps its SPIKE: its own tail 0.5 decides (persistence 1.5 x 0.5) and its successor is not flagged.
     */
    @Test
    void aChangeIsPassedOnLate() {
        Lagged lagged = Lagged.of(2, new double[] {0.5, 0.5, 0.5, 0.5},
                new int[] {AlarmGate.CHANGE, AlarmGate.CHANGE | AlarmGate.SPIKE, 0, 0});
        assertArrayEquals(new int[] {0, 0, AlarmGate.CHANGE, AlarmGate.CHANGE | AlarmGate.SPIKE}, lagged.signals());
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new LaggedSignals(0, THRESHOLD));
        assertThrows(IllegalArgumentException.class, () -> new LaggedSignals(2, Double.NaN));
        assertThrows(IllegalStateException.class, () -> new LaggedScore(2).spikeDecides(new double[4]));
    }
}
