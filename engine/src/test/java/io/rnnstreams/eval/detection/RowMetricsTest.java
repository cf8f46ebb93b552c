package io.rnnstreams.eval.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RowMetricsTest {
    private static final boolean[] LABELS = {false, false, false, true, true, false};

    private static List<ScoredSeries> corpus(double... scores) {
        return List.of(new ScoredSeries("r", scores, LABELS, List.of(), 0));
    }

    @Test
    void aucOfPerfectReversedAndTiedRankings() {
        assertEquals(1.0, RowMetrics.rocAuc(corpus(0.1, 0.2, 0.3, 0.9, 0.8, 0.0)), 1e-12);
        assertEquals(1.0, RowMetrics.prAuc(corpus(0.1, 0.2, 0.3, 0.9, 0.8, 0.0)), 1e-12);
        assertEquals(0.0, RowMetrics.rocAuc(corpus(0.9, 0.8, 0.7, 0.1, 0.2, 0.95)), 1e-12);
        assertEquals(0.5, RowMetrics.rocAuc(corpus(1, 1, 1, 1, 1, 1)), 1e-12);
        // all tied: one threshold flags everything, precision 2/6 at recall 1
        assertEquals(2.0 / 6, RowMetrics.prAuc(corpus(1, 1, 1, 1, 1, 1)), 1e-12);
    }

    @Test
    void aucCountsHalfATie() {
        // positives 0.5, 0.9; negatives 0.1, 0.5, 0.2, 0.3: pairs won 4 + 3 + 0.5 = 7.5 of 8
        assertEquals(7.5 / 8, RowMetrics.rocAuc(corpus(0.1, 0.5, 0.2, 0.9, 0.5, 0.3)), 1e-12);
        // ranked 0.9+ | 0.5+ 0.5- | 0.3- ...: AP = 0.5 * 1 + 0.5 * (2 / 3)
        assertEquals(0.5 + 1.0 / 3, RowMetrics.prAuc(corpus(0.1, 0.5, 0.2, 0.9, 0.5, 0.3)), 1e-12);
    }

    @Test
    void countsRatesAndF1AtAThreshold() {
        RowMetrics m = RowMetrics.at(corpus(0.1, 0.6, 0.2, 0.9, 0.3, 0.0), 0.5);
        assertArrayEquals(new long[] {1, 1, 1, 3}, new long[] {m.tp(), m.fp(), m.fn(), m.tn()});
        assertEquals(0.5, m.precision(), 1e-12);
        assertEquals(0.5, m.recall(), 1e-12);
        assertEquals(0.5, m.f1(), 1e-12);
        assertEquals(0.25, m.far(), 1e-12);
        assertEquals(0.5, m.mar(), 1e-12);
    }

    @Test
    void bestF1RespectsTheFalseAlarmLimit() {
        List<ScoredSeries> c = corpus(0.1, 0.6, 0.2, 0.9, 0.3, 0.0);
        // at 0.3 both positives are flagged with one false alarm of 4 (F1 0.8, FAR 0.25)
        RowMetrics free = RowMetrics.bestF1(c, 1.0);
        assertEquals(0.3, free.threshold(), 0.0);
        assertEquals(0.8, free.f1(), 1e-12);
        RowMetrics strict = RowMetrics.bestF1(c, 0.0);
        assertEquals(0.9, strict.threshold(), 0.0);
        assertEquals(2.0 / 3, strict.f1(), 1e-12);
    }

    @Test
    void probationRowsAreLeftOut() {
        ScoredSeries s = new ScoredSeries("r", new double[] {0.99, 0.1, 0.9}, new boolean[] {false, false, true},
                List.of(), 1);
        assertEquals(1.0, RowMetrics.rocAuc(List.of(s)), 1e-12);
        assertEquals(0, RowMetrics.at(List.of(s), 0.5).fp());
    }

    @Test
    void eventsDelaysAndFalseAlarmsWithSuppression() {
        // events at 3..4 and 9; an alarm on normal row 1, a lingering score on 5..6 (no new alarm: the gate
        // waits for 2 quiet readings), then an alarm on 8 after two quiet readings
        boolean[] labels = {false, false, false, true, true, false, false, false, false, true, false, false};
        double[] scores = {0, 1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0};
        ScoredSeries s = new ScoredSeries("e", scores, labels, List.of(), 0);
        EventMetrics m = EventMetrics.at(List.of(s), 0.5, 1, 2);
        assertEquals(2, m.events());
        assertEquals(1, m.detected()); // 3..4 flagged at 4 (delay 1); 9 not flagged at 9 or 10
        assertArrayEquals(new int[] {1}, m.delays());
        // alarms: row 1 (open), row 4 (re-opened after rows 2, 3 quiet), row 8 (after 7 alone? no: one quiet
        // reading only) -> rows 1 and 4; row 4 is anomalous, so one false alarm on 9 normal rows
        assertEquals(1, m.falseAlarms());
        assertEquals(9, m.normalRows());
        assertEquals(1000.0 / 9, m.falseAlarmsPerThousand(), 1e-9);
    }

    @Test
    void alarmGateRaisesOneAlarmPerEvent() {
        AlarmGate gate = new AlarmGate(0.5, 3);
        boolean[] alarms = gate.alarms(new double[] {1, 1, 0, 1, 0, 0, 0, 1, Double.NaN, 1});
        assertArrayEquals(new boolean[] {true, false, false, false, false, false, false, true, false, false}, alarms);
        assertTrue(new AlarmGate(0.5, 1).alarms(new double[] {0, 1, 0, 1})[3]);
        assertFalse(new AlarmGate(0.5, 1).alarms(new double[] {0, 1, 1, 1})[3]);
    }
}
