package io.rnnstreams.backtest;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts of one sensor's backtest as PNG files {@value #WIDTH} pixels wide, drawn with XChart off screen
 * ({@code java.awt.headless} is set to {@code true} unless already set, so no display is needed). Each chart has
 * one panel of {@value #PANEL_HEIGHT} pixels per charted channel, stacked, titled with the channel's name (the
 * predictions' {@code channelNames}, else "channel i"):
 * <ul>
 *   <li>{@code DIR/<sensor>-forecast.png}: the actual values (black), the RNN's one-step forecast of each reading
 *       (blue) and the AR baseline's (orange, dashed), both made at the reading before; the RNN's prediction
 *       interval as a light blue band where the predictions carry one; raised alarms (red circles on the actual
 *       value) and, when labels are given, the labelled readings (purple squares);</li>
 *   <li>{@code DIR/<sensor>-error.png}: the absolute one-step error of the RNN (blue) and of AR (orange, dashed),
 *       each as the mean over the last {@value #ERROR_WINDOW} readings, with the alarms and labelled readings
 *       marked along the bottom;</li>
 *   <li>{@code DIR/<sensor>-anomaly.png} (one panel): the anomaly score of every reading as dots, the threshold given as
 *       a red line (the backtest's {@code --anomaly-threshold}; the stream alarmed at its own
 *       {@code rnn.anomaly.threshold}), the alarms the stream raised (the predictions' {@code anomaly} flag,
 *       {@link SensorSeries#alarms}: not recomputed from the scores) as red circles, and the labelled
 *       readings as purple squares along the top.</li>
 * </ul>
 * Which readings and channels: {@link PlotOptions} (default: the whole range, every channel). The x axis is event
 * time (UTC). In {@code <sensor>} every character outside {@code [A-Za-z0-9._-]} becomes {@code _}. Existing
 * files are replaced.
 */
public final class BacktestPlots {
    /** Width of every chart in pixels. */
    public static final int WIDTH = 1200;
    /** Height of one panel (one channel) in pixels; the anomaly chart is one panel. */
    public static final int PANEL_HEIGHT = 400;
    /** Readings in the rolling mean of the error chart. */
    public static final int ERROR_WINDOW = 24;

    static final Color ACTUAL = Color.BLACK;
    static final Color RNN = new Color(0x1F, 0x77, 0xB4);
    static final Color AR = new Color(0xFF, 0x7F, 0x0E);
    static final Color BAND = new Color(0xAE, 0xC7, 0xE8);
    static final Color ALARM = new Color(0xD6, 0x27, 0x28);
    static final Color LABEL = new Color(0x94, 0x67, 0xBD);

    /** A 3-pixel dot, whatever the chart's marker size (XChart sizes markers per chart, not per series). */
    private static final Marker SMALL_DOT = new Marker() {
        @Override
        public void paint(Graphics2D g, double x, double y, int markerSize) {
            g.fill(new java.awt.geom.Ellipse2D.Double(x - 1.5, y - 1.5, 3, 3));
        }
    };

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
     * Writes the three charts of {@code result} over its whole range, every channel, into {@code dir}.
     *
     * @return the files: forecast, error, anomaly
     */
    public static List<Path> write(Path dir, SensorResult result, double threshold, int arOrder) throws IOException {
        return write(dir, result, threshold, arOrder, null, PlotOptions.DEFAULTS);
    }

    /**
     * Writes the three charts of {@code result} into {@code dir} (created if missing), marking the readings that
     * lie in {@code labels}' windows (null: no labels).
     *
     * @return the files: forecast, error, anomaly
     * @throws IllegalArgumentException if {@code plots} names a channel the sensor does not have
     */
    public static List<Path> write(Path dir, SensorResult result, double threshold, int arOrder, LabelWindows labels,
                                   PlotOptions plots) throws IOException {
        Files.createDirectories(dir);
        String stem = fileStem(result.sensor());
        SensorSeries s = result.series();
        int channels = s.size() == 0 ? 1 : s.actuals()[0].length;
        int[] chosen = plots.channels(s, channels);
        int[] range = plots.range(s.eventTimes());
        boolean[] alarms = s.alarms();
        boolean[] labelled = labels == null ? new boolean[s.size()] : labels.labels(result.sensor(), s.eventTimes());
        List<XYChart> forecast = new ArrayList<>();
        List<XYChart> error = new ArrayList<>();
        for (int c : chosen) {
            forecast.add(forecastChart(result, c, range, arOrder, alarms, labelled));
            error.add(errorChart(result, c, range, arOrder, alarms, labelled));
        }
        Path forecastFile = dir.resolve(stem + "-forecast.png");
        Path errorFile = dir.resolve(stem + "-error.png");
        Path anomalyFile = dir.resolve(stem + "-anomaly.png");
        save(forecast, forecastFile);
        save(error, errorFile);
        save(List.of(anomalyChart(result, range, threshold, alarms, labels == null ? null : labelled)), anomalyFile);
        return List.of(forecastFile, errorFile, anomalyFile);
    }

    static XYChart forecastChart(SensorResult r, int c, int[] range, int arOrder, boolean[] alarms,
                                 boolean[] labelled) {
        SensorSeries s = r.series();
        XYChart chart = chart(r.sensor() + " - " + s.channelName(c) + ": actual and one-step forecasts", "value");
        chart.getStyler().setPlotGridLinesVisible(false); // the band is drawn as filled areas over them
        List<Date> times = new ArrayList<>();
        List<Double> actual = new ArrayList<>();
        List<Double> rnn = new ArrayList<>();
        List<Double> ar = new ArrayList<>();
        List<Date> bandTimes = new ArrayList<>();
        List<Double> lower = new ArrayList<>();
        List<Double> upper = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        for (int t = Math.max(1, range[0]); t < range[1]; t++) {
            Date time = new Date(s.eventTimes()[t]);
            times.add(time);
            actual.add(s.actuals()[t][c]);
            rnn.add(s.forecasts()[t - 1][c]);
            ar.add(r.arForecasts()[t - 1][c]);
            min = Math.min(min, Math.min(s.actuals()[t][c], Math.min(s.forecasts()[t - 1][c], r.arForecasts()[t - 1][c])));
            if (s.intervalLower()[t - 1] != null) {
                bandTimes.add(time);
                lower.add(s.intervalLower()[t - 1][c]);
                upper.add(s.intervalUpper()[t - 1][c]);
                min = Math.min(min, s.intervalLower()[t - 1][c]);
            }
        }
        if (times.isEmpty()) {
            chart.setTitle(r.sensor() + ": fewer than 2 readings in the window, nothing to chart");
            return chart;
        }
        if (!bandTimes.isEmpty()) {
            // a band between two lines: the upper bound filled down to the axis in the band's colour, then the
            // lower bound filled down to it in the plot's background colour
            double floor = min - 1e-9 * Math.max(1, Math.abs(min));
            chart.getStyler().setYAxisMin(floor);
            area(chart.addSeries("interval (" + bandLabel(s) + ")", bandTimes, upper), BAND);
            XYSeries cover = chart.addSeries(" ", bandTimes, lower);
            area(cover, chart.getStyler().getPlotBackgroundColor());
            cover.setShowInLegend(false);
        }
        line(chart.addSeries("actual", times, actual), ACTUAL, SeriesLines.SOLID);
        line(chart.addSeries("model forecast", times, rnn), RNN, SeriesLines.SOLID);
        line(chart.addSeries("AR(" + arOrder + ") forecast", times, ar), AR, SeriesLines.DASH_DASH);
        double[] actualValues = new double[s.size()];
        for (int t = 0; t < s.size(); t++) {
            actualValues[t] = s.actuals()[t][c];
        }
        points(chart, "alarm", s, range, actualValues, alarms, SeriesMarkers.CIRCLE, ALARM);
        points(chart, "labelled anomaly", s, range, actualValues, labelled, SeriesMarkers.SQUARE, LABEL);
        return chart;
    }

    static XYChart errorChart(SensorResult r, int c, int[] range, int arOrder, boolean[] alarms,
                              boolean[] labelled) {
        SensorSeries s = r.series();
        XYChart chart = chart(r.sensor() + " - " + s.channelName(c) + ": absolute one-step error, mean of the last "
                + ERROR_WINDOW + " readings", "mean |error|");
        List<Date> times = new ArrayList<>();
        List<Double> rnn = new ArrayList<>();
        List<Double> ar = new ArrayList<>();
        double rnnSum = 0;
        double arSum = 0;
        int n = 0;
        double[] zero = new double[s.size()];
        // the rolling sums start at the window's first reading, so a window shows the same values whatever came
        // before it only after ERROR_WINDOW readings
        for (int t = Math.max(1, range[0]); t < range[1]; t++) {
            rnnSum += Math.abs(s.actuals()[t][c] - s.forecasts()[t - 1][c]);
            arSum += Math.abs(s.actuals()[t][c] - r.arForecasts()[t - 1][c]);
            n++;
            int drop = t - ERROR_WINDOW;
            if (n > ERROR_WINDOW) {
                rnnSum -= Math.abs(s.actuals()[drop][c] - s.forecasts()[drop - 1][c]);
                arSum -= Math.abs(s.actuals()[drop][c] - r.arForecasts()[drop - 1][c]);
                n--;
            }
            times.add(new Date(s.eventTimes()[t]));
            rnn.add(Math.max(0, rnnSum / n));
            ar.add(Math.max(0, arSum / n));
        }
        if (times.isEmpty()) {
            chart.setTitle(r.sensor() + ": fewer than 2 readings in the window, nothing to chart");
            return chart;
        }
        chart.getStyler().setYAxisMin(0.0);
        line(chart.addSeries("model", times, rnn), RNN, SeriesLines.SOLID);
        line(chart.addSeries("AR(" + arOrder + ")", times, ar), AR, SeriesLines.DASH_DASH);
        points(chart, "alarm", s, range, zero, alarms, SeriesMarkers.CIRCLE, ALARM);
        points(chart, "labelled anomaly", s, range, zero, labelled, SeriesMarkers.SQUARE, LABEL);
        return chart;
    }

    /** The anomaly chart of the whole range, with {@code labels} (null: none) marked. */
    static XYChart anomalyChart(SensorResult r, double threshold, LabelWindows labels) {
        SensorSeries s = r.series();
        return anomalyChart(r, new int[] {0, s.size()}, threshold, s.alarms(),
                labels == null ? null : labels.labels(r.sensor(), s.eventTimes()));
    }

    static XYChart anomalyChart(SensorResult r, int[] range, double threshold, boolean[] alarms, boolean[] labelled) {
        SensorSeries s = r.series();
        XYChart chart = chart(r.sensor() + ": anomaly score", "anomaly score");
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.05);
        if (range[1] - range[0] == 0) {
            chart.setTitle(r.sensor() + ": no readings in the window, nothing to chart");
            return chart;
        }
        List<Date> times = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int t = range[0]; t < range[1]; t++) {
            times.add(new Date(s.eventTimes()[t]));
            scores.add(s.anomalyScores()[t]);
        }
        XYSeries dots = chart.addSeries("anomaly score", times, scores);
        dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        dots.setMarker(SMALL_DOT);
        dots.setMarkerColor(new Color(0x55, 0x55, 0x55));
        List<Date> ends = List.of(times.get(0), times.get(times.size() - 1));
        line(chart.addSeries("threshold " + ReportTable.num(threshold), ends, List.of(threshold, threshold)), ALARM,
                SeriesLines.DASH_DASH);
        points(chart, "alarm", s, range, s.anomalyScores(), alarms, SeriesMarkers.CIRCLE, ALARM);
        if (labelled != null) {
            double[] top = new double[labelled.length];
            java.util.Arrays.fill(top, 1.03);
            points(chart, "labelled anomaly", s, range, top, labelled, SeriesMarkers.SQUARE, LABEL);
        }
        return chart;
    }

    private static String bandLabel(SensorSeries s) {
        return "nominal 90%";
    }

    /** A scatter series of the readings in {@code range} where {@code where} is true (none: no series). */
    private static void points(XYChart chart, String name, SensorSeries s, int[] range, double[] y, boolean[] where,
                               Marker marker, Color color) {
        List<Date> x = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        for (int t = range[0]; t < range[1]; t++) {
            if (where[t]) {
                x.add(new Date(s.eventTimes()[t]));
                v.add(y[t]);
            }
        }
        if (!x.isEmpty()) {
            XYSeries series = chart.addSeries(name, x, v);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            series.setMarker(marker);
            series.setMarkerColor(color);
        }
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(PANEL_HEIGHT).title(title)
                .xAxisTitle("event time (UTC)").yAxisTitle(yTitle).build();
        chart.getStyler().setDatePattern("yyyy-MM-dd HH:mm");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setAntiAlias(true);
        chart.getStyler().setMarkerSize(8);
        chart.getStyler().setTimezone(java.util.TimeZone.getTimeZone("UTC"));
        return chart;
    }

    private static void line(XYSeries series, Color color, java.awt.BasicStroke stroke) {
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        series.setLineStyle(stroke);
    }

    private static void area(XYSeries series, Color color) {
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        series.setMarker(SeriesMarkers.NONE);
        series.setFillColor(color);
        series.setLineColor(color);
    }

    /** The panels stacked top to bottom in one PNG. */
    private static void save(List<XYChart> panels, Path file) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, PANEL_HEIGHT * panels.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            for (int i = 0; i < panels.size(); i++) {
                g.drawImage(BitmapEncoder.getBufferedImage(panels.get(i)), 0, i * PANEL_HEIGHT, null);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
