package io.rnnstreams.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From records and predictions to the report, without Kafka. */
class BacktestAnalysisTest {

    /** Readings {@code x(t) = t} of a sensor; the stream's learner forecasts {@code t + 1.5}; one NaN dead letter at 3. */
    static void sensor(String name, int n, Map<String, List<Reading>> records,
                       Map<String, List<PredictionPoint>> predictions, double anomalyAt) {
        List<Reading> r = new ArrayList<>();
        List<PredictionPoint> p = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            if (t == 3) {
                r.add(new Reading(1_000L * t, new double[] {Double.NaN}));
                continue;
            }
            r.add(new Reading(1_000L * t, new double[] {t}));
            int previous = t == 4 ? 2 : t - 1;
            double[] previousError = t == 0 ? null : new double[] {t - (previous + 1.5)};
            p.add(new PredictionPoint(1_000L * t, new double[] {t + 1.5}, previousError, t == anomalyAt ? 1.0 : 0.5, null,
                    null, List.of(), null, t == anomalyAt));
        }
        records.put(name, r);
        predictions.put(name, p);
    }

    @Test
    void reportsEverySensorAnomaliesAndCharts(@TempDir Path dir) throws IOException {
        Map<String, List<Reading>> records = new java.util.HashMap<>();
        Map<String, List<PredictionPoint>> predictions = new java.util.HashMap<>();
        sensor("b", 50, records, predictions, 20);
        sensor("a", 50, records, predictions, -1);
        sensor("c", 50, records, predictions, -1);
        sensor("d", 50, records, predictions, -1);
        predictions.put("ghost", List.of(new PredictionPoint(0, new double[] {1}, null, 0.5)));
        BacktestOptions options = BacktestOptions.of("in").withPlots(dir, List.of());
        BacktestReport report = new BacktestAnalysis(1, 1e12, options).analyse(records, predictions, 201, 1);

        assertEquals(List.of("a", "b", "c", "d"), report.sensors().stream().map(SensorResult::sensor).toList());
        SensorResult a = report.sensor("a").orElseThrow();
        assertEquals(48, a.rnn().readings(), "49 accepted readings, the first not scored");
        // errors: -0.5 everywhere except at 4, whose previous accepted reading is 2: 4 - 3.5 = 0.5
        assertEquals(0.5, a.rnn().mae(), 1e-15);
        // persistence: 1 everywhere except 4 - 2 = 2 at reading 4: (47 + 2) / 48
        assertEquals(0.5 / (49.0 / 48), a.rnn().mase(), 1e-12);
        assertEquals(0.0, report.maxPairingDiscrepancy());
        assertEquals(1 + 4, report.skippedRecords(), "one unusable record and the NaN of each sensor");
        assertEquals(1, report.unmatchedPredictions(), "the ghost sensor's");
        assertEquals(List.of(new Anomaly("b", 20_000, 1.0)), report.anomalies());
        assertEquals(4 * 48, report.rnnOverall().readings());
        assertEquals("AR", a.winner(), "a straight line is what AR(8) forecasts exactly once fitted");
        assertTrue(a.ar().mase() < 0.2, "AR MASE " + a.ar().mase());

        assertEquals(9, report.plots().size(), "the first 3 sensors, three charts each");
        assertTrue(Files.exists(dir.resolve("c-anomaly.png")));
        assertTrue(Files.notExists(dir.resolve("d-forecast.png")));

        String table = report.table();
        System.out.println(table);
        assertTrue(table.contains("sensor"), table);
        for (String s : List.of("a ", "b ", "c ", "d ", "overall ")) {
            assertTrue(table.lines().anyMatch(l -> l.startsWith(s)), "row " + s + " in\n" + table);
        }
        assertTrue(table.contains("1970-01-01T00:00:20Z"), "the anomaly's event time");
        assertTrue(table.contains("max |difference| 0"), table);
    }

    @Test
    void namedSensorsAreChartedAndUnknownOnesSkipped(@TempDir Path dir) throws IOException {
        Map<String, List<Reading>> records = new java.util.HashMap<>();
        Map<String, List<PredictionPoint>> predictions = new java.util.HashMap<>();
        sensor("a", 20, records, predictions, -1);
        sensor("b", 20, records, predictions, -1);
        BacktestOptions options = BacktestOptions.of("in").withPlots(dir, List.of("b", "nope"));
        BacktestReport report = new BacktestAnalysis(1, 1e12, options).analyse(records, predictions, 40, 0);
        assertEquals(List.of(dir.resolve("b-forecast.png"), dir.resolve("b-error.png"), dir.resolve("b-anomaly.png")),
                report.plots());
    }

    @Test
    void theAnomalyListIsCappedPerSensorWithACount() throws IOException {
        Map<String, List<Reading>> records = new java.util.HashMap<>();
        Map<String, List<PredictionPoint>> predictions = new java.util.HashMap<>();
        List<Reading> r = new ArrayList<>();
        List<PredictionPoint> p = new ArrayList<>();
        for (int t = 0; t < 30; t++) {
            r.add(new Reading(1_000L * t, new double[] {t}));
            p.add(new PredictionPoint(1_000L * t, new double[] {t + 1}, t == 0 ? null : new double[] {0},
                    0.99 + t * 1e-4));
        }
        records.put("s", r);
        predictions.put("s", p);
        BacktestReport report = new BacktestAnalysis(1, 1e12, BacktestOptions.of("in").withAnomalyThreshold(0.99))
                .analyse(records, predictions, 30, 0);
        assertEquals(30, report.anomalies().size(), "every one in the report");
        String table = report.table();
        assertTrue(table.contains("  s: 30 (the 20 highest shown)"), table);
        assertEquals(20, table.lines().filter(l -> l.startsWith("    1970-")).count());
        assertTrue(table.contains("1970-01-01T00:00:29Z") && !table.contains("1970-01-01T00:00:09Z"), table);
    }

    /** With labels the report ends with the detection table; the charts mark labels and alarms. */
    @Test
    void labelsAddTheDetectionTableAndChartMarks(@TempDir Path dir) throws IOException {
        Map<String, List<Reading>> records = new java.util.HashMap<>();
        Map<String, List<PredictionPoint>> predictions = new java.util.HashMap<>();
        sensor("b", 50, records, predictions, 20);
        LabelWindows labels = LabelWindows.of(Map.of("b", List.of(new LabelWindows.Window(20_000, 22_000))));
        BacktestOptions options = BacktestOptions.of("in").withPlots(dir, List.of());
        BacktestReport report = new BacktestAnalysis(1, 1e12, options, labels).analyse(records, predictions, 50, 1);
        String table = report.table();
        assertTrue(table.contains("Detection against the labelled windows"), table);
        // the score flags reading 20 alone, the first of the labelled 20..22: NAB 100 at threshold 1
        assertTrue(table.contains("| the application's anomalyScore | 100.0 (1.00000) |"), table);
        var chart = BacktestPlots.anomalyChart(report.sensor("b").orElseThrow(), 0.99, labels);
        assertEquals(List.of("anomaly score", "threshold 0.9900", "alarm", "labelled anomaly"),
                chart.getSeriesCollection().stream().map(org.knowm.xchart.XYSeries::getName).toList());
        assertEquals(3, chart.getSeries("labelled anomaly").getXData().length);
    }

    /**
     * The charts and the detection table show the stream's alarms (the predictions' {@code anomaly} flags), not
     * alarms recomputed from the scores: reading 10 alarms (score 1), reading 12 is a change re-alarm below the
     * threshold (flagged, score 0.5), reading 60 a lone error spike the stream did not confirm (score 0.99999, not
     * flagged). Recomputed, the alarms would be 10 and 60 and the labelled event at 12..14 missed.
     */
    @Test
    void chartsAndTableFollowTheStreamsAlarmFlags(@TempDir Path dir) throws IOException {
        int n = 100;
        List<Reading> r = new ArrayList<>();
        List<PredictionPoint> p = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            double score = t == 10 ? 1.0 : t == 60 ? 0.99999 : 0.5;
            r.add(new Reading(1_000L * t, new double[] {t}));
            p.add(new PredictionPoint(1_000L * t, new double[] {t + 1}, t == 0 ? null : new double[] {-1}, score,
                    null, null, List.of(), null, t == 10 || t == 12));
        }
        LabelWindows labels = LabelWindows.of(Map.of("s", List.of(new LabelWindows.Window(12_000, 14_000))));
        BacktestOptions options = BacktestOptions.of("in").withAnomalyThreshold(0.9999).withPlots(dir, List.of());
        BacktestReport report = new BacktestAnalysis(1, 1e12, options, labels)
                .analyse(Map.of("s", r), Map.of("s", p), n, 0);
        SensorSeries series = report.sensor("s").orElseThrow().series();
        var chart = BacktestPlots.anomalyChart(report.sensor("s").orElseThrow(), 0.9999, labels);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {10_000, 12_000},
                chart.getSeries("alarm").getXData());
        var forecast = BacktestPlots.forecastChart(report.sensor("s").orElseThrow(), 0, new int[] {0, n}, 8,
                series.alarms(), new boolean[n]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {10_000, 12_000},
                forecast.getSeries("alarm").getXData());
        String table = report.table();
        // the stream's alarms at 10 (false: before the onset) and 12 (the event, at once): per row TP 1, FP 1, FN 2
        // of the labelled 12..14, and 1 false alarm in 97 normal readings
        assertTrue(table.contains("| " + BacktestDetection.STREAM_ALARMS + " | "), table);
        String row = table.lines().filter(l -> l.startsWith("| " + BacktestDetection.STREAM_ALARMS)).findFirst()
                .orElseThrow();
        assertTrue(row.contains("| 0.400 / 1.0% / 66.7% | 1/1 / 10.31 |"), row);
        // the score's row has no own-threshold alarms: they are the stream's
        String scoreRow = table.lines().filter(l -> l.startsWith("| the application's anomalyScore")).findFirst()
                .orElseThrow();
        assertTrue(scoreRow.contains("| - | - | - |"), scoreRow);
    }
}
