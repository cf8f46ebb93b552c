package io.rnnstreams.backtest;

import io.rnnstreams.eval.detection.AlarmGate;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts of one sensor's backtest as PNG files of {@value #WIDTH} x {@value #HEIGHT} pixels, drawn with
 * XChart off screen ({@code java.awt.headless} is set to {@code true} unless already set, so no display is
 * needed):
 * <ul>
 *   <li>{@code DIR/<sensor>-forecast.png}: channel 0 over the last up to {@value #MAX_POINTS} readings: the
 *       actual values, the RNN's forecast of each reading and the AR baseline's, both made at the reading
 *       before;</li>
 *   <li>{@code DIR/<sensor>-anomaly.png}: the anomaly score of every reading, with the threshold as a
 *       line, the raised alarms ({@link AlarmGate}: one per event) as circles on the score, and, when labels
 *       are given, the labelled readings as squares along the top.</li>
 * </ul>
 * The x axis is event time. In {@code <sensor>} every character outside {@code [A-Za-z0-9._-]} becomes
 * {@code _}. Existing files are replaced.
 */
public final class BacktestPlots {
    /** Width of every chart in pixels. */
    public static final int WIDTH = 1200;
    /** Height of every chart in pixels. */
    public static final int HEIGHT = 500;
    /** Most readings drawn in a forecast chart (the last ones). */
    public static final int MAX_POINTS = 2_000;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private BacktestPlots() {
    }

    /** The file-name stem of a sensor. */
    public static String fileStem(String sensor) {
        String s = sensor.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
    }

    /**
     * Writes both charts of {@code result} into {@code dir} (created if missing).
     *
     * @return the two files, forecast chart first
     */
    public static List<Path> write(Path dir, SensorResult result, double threshold, int arOrder) throws IOException {
        return write(dir, result, threshold, arOrder, null);
    }

    /**
     * Writes both charts of {@code result} into {@code dir} (created if missing), marking the readings that
     * lie in {@code labels}' windows (null: no labels).
     *
     * @return the two files, forecast chart first
     */
    public static List<Path> write(Path dir, SensorResult result, double threshold, int arOrder, LabelWindows labels)
            throws IOException {
        Files.createDirectories(dir);
        String stem = fileStem(result.sensor());
        Path forecast = dir.resolve(stem + "-forecast.png");
        Path anomaly = dir.resolve(stem + "-anomaly.png");
        save(forecastChart(result, arOrder), forecast);
        save(anomalyChart(result, threshold, labels), anomaly);
        return List.of(forecast, anomaly);
    }

    static XYChart forecastChart(SensorResult r, int arOrder) {
        SensorSeries s = r.series();
        XYChart chart = chart(r.sensor() + ": channel 0, actual and one-step forecasts", "value");
        int from = Math.max(1, s.size() - MAX_POINTS);
        List<Date> times = new ArrayList<>();
        List<Double> actual = new ArrayList<>();
        List<Double> rnn = new ArrayList<>();
        List<Double> ar = new ArrayList<>();
        for (int t = from; t < s.size(); t++) {
            times.add(new Date(s.eventTimes()[t]));
            actual.add(s.actuals()[t][0]);
            rnn.add(s.forecasts()[t - 1][0]);
            ar.add(r.arForecasts()[t - 1][0]);
        }
        if (times.isEmpty()) {
            chart.setTitle(r.sensor() + ": fewer than 2 readings, nothing to chart");
            return chart;
        }
        line(chart.addSeries("actual", times, actual));
        line(chart.addSeries("RNN forecast", times, rnn));
        line(chart.addSeries("AR(" + arOrder + ") forecast", times, ar));
        return chart;
    }

    static XYChart anomalyChart(SensorResult r, double threshold, LabelWindows labels) {
        SensorSeries s = r.series();
        XYChart chart = chart(r.sensor() + ": anomaly score", "anomaly score");
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        if (s.size() == 0) {
            chart.setTitle(r.sensor() + ": no readings, nothing to chart");
            return chart;
        }
        List<Date> times = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int t = 0; t < s.size(); t++) {
            times.add(new Date(s.eventTimes()[t]));
            scores.add(s.anomalyScores()[t]);
        }
        line(chart.addSeries("anomaly score", times, scores));
        List<Date> ends = List.of(times.get(0), times.get(times.size() - 1));
        line(chart.addSeries("threshold " + ReportTable.num(threshold), ends, List.of(threshold, threshold)));
        boolean[] alarms = new AlarmGate(threshold, BacktestDetection.QUIET).alarms(s.anomalyScores());
        points(chart, "alarm", times, s.anomalyScores(), alarms, SeriesMarkers.CIRCLE);
        if (labels != null) {
            boolean[] labelled = labels.labels(r.sensor(), s.eventTimes());
            double[] top = new double[labelled.length];
            java.util.Arrays.fill(top, 1.0);
            points(chart, "labelled anomaly", times, top, labelled, SeriesMarkers.SQUARE);
        }
        return chart;
    }

    /** A scatter series of the readings where {@code where} is true (none: no series). */
    private static void points(XYChart chart, String name, List<Date> times, double[] y, boolean[] where,
                               org.knowm.xchart.style.markers.Marker marker) {
        List<Date> x = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        for (int t = 0; t < where.length; t++) {
            if (where[t]) {
                x.add(times.get(t));
                v.add(y[t]);
            }
        }
        if (!x.isEmpty()) {
            XYSeries series = chart.addSeries(name, x, v);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            series.setMarker(marker);
        }
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("event time (UTC)")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setDatePattern("MM-dd HH:mm:ss");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setAntiAlias(true);
        chart.getStyler().setTimezone(java.util.TimeZone.getTimeZone("UTC"));
        return chart;
    }

    private static void line(XYSeries series) {
        series.setMarker(SeriesMarkers.NONE);
    }

    private static void save(XYChart chart, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
