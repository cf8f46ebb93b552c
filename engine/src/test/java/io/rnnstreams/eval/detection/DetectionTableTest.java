package io.rnnstreams.eval.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionTableTest {
    @Test
    void aPerfectDetectorsRowAndTheCalibrationFractions() {
        double[] scores = new double[100];
        boolean[] labels = new boolean[100];
        for (int t = 50; t < 60; t++) {
            labels[t] = true;
            scores[t] = 1.0;
        }
        ScoredSeries s = new ScoredSeries("s", scores, labels, List.of(new LabelledWindow(50, 59)), 10);
        String md = new DetectionTable(2, 5).labelled(List.of(new DetectionTable.Row("perfect", 0.5, List.of(s),
                List.of())));
        String row = md.lines().toList().get(2);
        assertEquals("| perfect | 100.0 (1.00000) | 100.0 (1.00000) | 100.0 (1.00000) | 1.000 | 1.000 "
                + "| 1.000 / 0.0% / 0.0% | 1/1 / 0.00 | 100.0 100.0 100.0 | 1.000 (0.0%, 0.0%, 1.00000) "
                + "| 1/1 (0, 1.00000) |", row);
        double[] ramp = new double[1010];
        for (int t = 0; t < ramp.length; t++) {
            ramp[t] = (t - 10) / 1000.0; // scored rows 10..1009: 0.000 .. 0.999
        }
        ScoredSeries normal = new ScoredSeries("n", ramp, new boolean[1010], List.of(), 10);
        assertEquals(0.01, DetectionTable.fractionAtLeast(List.of(normal), 0.99), 1e-12);
        assertTrue(new DetectionTable(1, 1).normal(List.of(new DetectionTable.Row("ramp", Double.NaN,
                List.of(normal), List.of()))).contains("| ramp | 1.0000% | 0.1000% | 0.0000% | - |"));
    }
}
