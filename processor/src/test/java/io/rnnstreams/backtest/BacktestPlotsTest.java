package io.rnnstreams.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The charts are real PNG files of the documented size, written without a display. */
class BacktestPlotsTest {
    static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /** A sine of {@code n} readings with an RNN that forecasts the actual next value plus 0.1. */
    static SensorResult sineResult(String sensor, int n) {
        long[] times = new long[n];
        double[][] actuals = new double[n][];
        double[][] forecasts = new double[n][];
        double[][] previousErrors = new double[n][];
        double[] scores = new double[n];
        for (int t = 0; t < n; t++) {
            times[t] = 1_700_000_000_000L + 1_000L * t;
            actuals[t] = new double[] {Math.sin(t * 0.3)};
            forecasts[t] = new double[] {Math.sin((t + 1) * 0.3) + 0.1};
            previousErrors[t] = t == 0 ? null : new double[] {actuals[t][0] - forecasts[t - 1][0]};
            scores[t] = t == n / 2 ? 0.999 : 0.5;
        }
        SensorSeries s = new SensorSeries(sensor, times, actuals, forecasts, previousErrors, scores, 0);
        return new SensorScorer(8, 0.999, 100).score(s);
    }

    static void assertPng(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(bytes, 8), file + " starts with the PNG signature");
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " decodes");
        assertEquals(BacktestPlots.WIDTH, image.getWidth());
        assertEquals(0, image.getHeight() % BacktestPlots.PANEL_HEIGHT, "whole panels");
    }

    @Test
    void writesAForecastAnErrorAndAnAnomalyChart1200Wide(@TempDir Path dir) throws IOException {
        List<Path> files = BacktestPlots.write(dir.resolve("charts"), sineResult("pump/7 a", 2_500), 0.99, 8);
        assertEquals(List.of(dir.resolve("charts/pump_7_a-forecast.png"), dir.resolve("charts/pump_7_a-error.png"),
                dir.resolve("charts/pump_7_a-anomaly.png")), files);
        assertEquals(1200, BacktestPlots.WIDTH);
        assertEquals(400, BacktestPlots.PANEL_HEIGHT);
        for (Path f : files) {
            assertPng(f);
        }
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    @Test
    void chartsOfATinySeriesAreStillValid(@TempDir Path dir) throws IOException {
        for (Path f : BacktestPlots.write(dir, sineResult("one", 1), 0.99, 8)) {
            assertPng(f);
        }
    }

    /** Two channels named by the predictions, an interval from reading 10 on, an alarm at reading 50. */
    static SensorResult twoChannels(int n) {
        long[] times = new long[n];
        double[][] actuals = new double[n][];
        double[][] forecasts = new double[n][];
        double[][] lower = new double[n][];
        double[][] upper = new double[n][];
        double[] scores = new double[n];
        for (int t = 0; t < n; t++) {
            times[t] = 1_700_000_000_000L + 3_600_000L * t;
            actuals[t] = new double[] {Math.sin(t * 0.3), 10 + Math.cos(t * 0.1)};
            forecasts[t] = new double[] {Math.sin((t + 1) * 0.3) + 0.05, 10 + Math.cos((t + 1) * 0.1)};
            lower[t] = t < 10 ? null : new double[] {forecasts[t][0] - 0.3, forecasts[t][1] - 0.2};
            upper[t] = t < 10 ? null : new double[] {forecasts[t][0] + 0.3, forecasts[t][1] + 0.2};
            scores[t] = t == 50 ? 0.9999 : 0.5;
        }
        SensorSeries s = new SensorSeries("s", times, actuals, forecasts, new double[n][], scores, 0, lower, upper,
                List.of("flow", "pressure"));
        return new SensorScorer(8, 0.999, 100).score(s);
    }

    @Test
    void onePanelPerChannelWithTheIntervalBandAndTheAlarmsOrOneChannelByName(@TempDir Path dir) throws IOException {
        SensorResult r = twoChannels(200);
        List<Path> all = BacktestPlots.write(dir.resolve("all"), r, 0.999, 8, null, PlotOptions.DEFAULTS);
        assertEquals(2 * BacktestPlots.PANEL_HEIGHT, ImageIO.read(all.get(0).toFile()).getHeight());
        assertEquals(2 * BacktestPlots.PANEL_HEIGHT, ImageIO.read(all.get(1).toFile()).getHeight());
        assertEquals(BacktestPlots.PANEL_HEIGHT, ImageIO.read(all.get(2).toFile()).getHeight());

        PlotOptions pressure = PlotOptions.window("last:100", "pressure");
        List<Path> one = BacktestPlots.write(dir.resolve("one"), r, 0.999, 8, null, pressure);
        assertEquals(BacktestPlots.PANEL_HEIGHT, ImageIO.read(one.get(0).toFile()).getHeight());
        var chart = BacktestPlots.forecastChart(r, 1, pressure.range(r.series().eventTimes()), 8,
                new boolean[200], new boolean[200]);
        assertEquals("s - pressure: actual and one-step forecasts", chart.getTitle());
        assertEquals(List.of("interval (nominal 90%)", " ", "actual", "model forecast", "AR(8) forecast"),
                chart.getSeriesCollection().stream().map(org.knowm.xchart.XYSeries::getName).toList());
        assertEquals(100, chart.getSeries("actual").getXData().length);
        assertEquals("[100, 200]", java.util.Arrays.toString(pressure.range(r.series().eventTimes())));
        assertEquals("--plot-channel: sensor s has no channel 'volume': its channels are flow, pressure (or their "
                + "numbers 0..1)", org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BacktestPlots.write(dir, r, 0.999, 8, null, PlotOptions.window("all", "volume"))).getMessage());
    }

    @Test
    void plotWindowsParse() {
        long[] hours = new long[48];
        for (int t = 0; t < hours.length; t++) {
            hours[t] = 1_483_228_800_000L + 3_600_000L * t; // from 2017-01-01T00:00Z
        }
        assertEquals("[0, 48]", java.util.Arrays.toString(PlotOptions.window("all", null).range(hours)));
        assertEquals("[38, 48]", java.util.Arrays.toString(PlotOptions.window("last:10", null).range(hours)));
        assertEquals("[24, 37]", java.util.Arrays.toString(
                PlotOptions.window("2017-01-02T00:00:00Z/2017-01-02T12:00:00Z", null).range(hours)));
        assertEquals("[24, 48]", java.util.Arrays.toString(PlotOptions.window("2017-01-02T00:00:00Z/", null).range(hours)));
        assertEquals("--plot-window: invalid value 'last:0': last:N needs a whole number N >= 1",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> PlotOptions.window("last:0", null)).getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PlotOptions.window("yesterday", null));
    }

    @Test
    void fileStemsAreSafe() {
        assertEquals("sensor-1.a_b", BacktestPlots.fileStem("sensor-1.a_b"));
        assertEquals("a_b_c", BacktestPlots.fileStem("a/b\\c"));
        assertEquals("_..", BacktestPlots.fileStem(".."));
        assertEquals("_", BacktestPlots.fileStem(""));
    }
}
