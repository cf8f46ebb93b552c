package io.rnnstreams.accuracy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.eval.detection.LabelledWindow;
import java.util.List;
import org.junit.jupiter.api.Test;

class NabStyleDataTest {
    /**
     * NAB's rule worked by hand: 1,000 readings, 2 anomalies: each window floor(0.1 * 1000 / 2) = 50 rows,
     * from start - 25 to start + 24; the probation floor(0.15 * 1000) = 150 rows.
     */
    @Test
    void windowsAreATenthOfTheLengthPerAnomalyCentredOnTheStart() {
        assertEquals(50, NabStyleData.windowLength(1000, 2));
        assertEquals(150, NabStyleData.probation(1000));
        int[] starts = {300, 990};
        List<LabelledWindow> windows = NabStyleData.windows(1000, starts);
        // 300: rows 275..324; 990: rows 965..1014, cut at the series' last row 999
        assertEquals(List.of(new LabelledWindow(275, 324), new LabelledWindow(965, 999)), windows);
        boolean[] rows = NabStyleData.rowLabels(1000, starts, windows);
        int labelled = 0;
        for (boolean b : rows) {
            labelled += b ? 1 : 0;
        }
        // 300..324 and 990..999: the start to its window's end
        assertEquals(25 + 10, labelled);
        assertTrue(rows[300] && rows[324] && !rows[299] && !rows[325] && rows[990] && rows[999] && !rows[989]);
        // one anomaly in 4,000 readings: 400 rows, 200 before the start and 199 after
        assertEquals(List.of(new LabelledWindow(800, 1199)), NabStyleData.windows(4000, new int[] {1000}));
        // three in 4,000: floor(133.3) = 133 rows, 66 before
        assertEquals(new LabelledWindow(934, 1066), NabStyleData.windows(4000, new int[] {1000, 2000, 3000}).get(0));
    }

    @Test
    void overlappingWindowsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NabStyleData.windows(1000, new int[] {300, 340}));
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
    }

    /** The generator: seeded, 1-3 anomalies per series, every window after the probation and inside the series. */
    @Test
    void generatedCorpusIsSeededAndItsWindowsLieInTheScoredPart() {
        List<NabStyleData.Series> a = NabStyleData.generate(40, 4000, 1);
        List<NabStyleData.Series> b = NabStyleData.generate(40, 4000, 1);
        assertArrayEquals(a.get(7).values(), b.get(7).values());
        DetectionCorpus corpus = DetectionData.nabStyle(40, 4000, 1);
        int anomalies = 0;
        for (LabelledRun run : corpus.runs()) {
            assertEquals(600, run.firstScored());
            assertTrue(run.windows().size() >= 1 && run.windows().size() <= 3, run.name());
            for (LabelledWindow w : run.windows()) {
                assertTrue(w.first() >= 600 && w.last() < 4000 && w.width() == 4000 / 10 / run.windows().size(),
                        run.name() + " " + w);
            }
            anomalies += run.windows().size();
        }
        assertTrue(anomalies >= 60 && anomalies <= 100, "anomalies " + anomalies);
    }
}
