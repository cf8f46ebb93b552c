package io.rnnstreams.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestDetectionTest {
    @Test
    void readsWindowsAndLabelsReadingsInside(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("labels.csv");
        Files.writeString(file, "sensor,start,end\ns1,1970-01-01T00:00:00.003Z,5\ns2,10,10\n");
        LabelWindows labels = LabelWindows.read(file);
        assertArrayEquals(new boolean[] {false, false, true, true, true, false},
                labels.labels("s1", new long[] {1, 2, 3, 4, 5, 6}));
        assertArrayEquals(new boolean[] {false, false}, labels.labels("other", new long[] {3, 10}));
        Files.writeString(file, "sensor,from,to\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelWindows.read(file)).getMessage()
                .contains("sensor,start,end"));
        Files.writeString(file, "sensor,start,end\ns1,9,8\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelWindows.read(file)).getMessage()
                .contains("labels.csv:2"));
    }

    @Test
    void tablePrintsTheApplicationsScoreBesideTheReferences() {
        int n = 600;
        long[] times = new long[n];
        double[][] actuals = new double[n][1];
        double[] scores = new double[n];
        boolean[] alarms = new boolean[n];
        for (int t = 0; t < n; t++) {
            times[t] = 1000L * t;
            actuals[t][0] = Math.sin(t * 0.3) + (t >= 500 && t < 520 ? 30 : 0);
            scores[t] = t >= 500 && t < 520 ? 0.99999 : 0.1;
            alarms[t] = t == 500 || t == 100;
        }
        SensorSeries s = new SensorSeries("s1", times, actuals, actuals, new double[n][], scores, 0, new double[n][],
                new double[n][], List.of(), new double[n][][], alarms);
        LabelWindows labels = LabelWindows.of(java.util.Map.of("s1",
                List.of(new LabelWindows.Window(500_000, 519_000))));
        String md = BacktestDetection.table(List.of(s), labels, 0.9999, 1);
        List<String> lines = md.lines().toList();
        assertEquals(9, lines.size()); // header, separator, the application's score and alarms, five references
        assertTrue(lines.get(2).startsWith("| the application's anomalyScore | 100.0 (0.999990) |"), lines.get(2));
        assertTrue(lines.get(2).contains("| 1.000 | 1.000 | - | - | - |"), lines.get(2)); // its alarms: next row
        // the stream's alarms (reading 100, false; 500, the event's onset): 1/1 events, 1 false alarm in 580
        assertTrue(lines.get(3).startsWith("| the application's alarms (Prediction.anomaly) | 94.5 (1.00000) |"),
                lines.get(3));
        assertTrue(lines.get(3).contains("| 0.091 / 0.2% / 95.0% | 1/1 / 1.72 | 94.5 89.0 96.3 |"), lines.get(3));
        assertTrue(lines.get(4).startsWith("| null (always 0) | 0.0 (none) |"), lines.get(3));
    }
}
