package io.rnnstreams.backtest;

import io.rnnstreams.eval.detection.AlarmGate;
import io.rnnstreams.eval.detection.AnomalyDetector;
import io.rnnstreams.eval.detection.DetectionTable;
import io.rnnstreams.eval.detection.LabelledWindow;
import io.rnnstreams.eval.detection.ReferenceScorers;
import io.rnnstreams.eval.detection.RunScorer;
import io.rnnstreams.eval.detection.ScoredSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The detection figures of a backtest with labels ({@code --labels}): the application's anomaly scores and
 * the reference detectors ({@link ReferenceScorers}, run here over the same readings of each sensor) scored
 * against the labelled windows by {@link DetectionTable}. Each sensor is one series; a reading is anomalous
 * when its event time lies in one of its sensor's windows, and each run of such readings is one NAB window
 * and one event. Every reading is scored (the application's own warm-up shows as a score of 0).
 *
 * <p>The application has two rows. Its alarms are the stream's own ({@code Prediction.anomaly}, raised at
 * {@code rnn.anomaly.threshold} by the detector's rule, with the signals the predictions do not carry: a lone error
 * spike's confirmation, the change re-alarm), not recomputed from the scores: the row {@value #STREAM_ALARMS} gives
 * their per-row F1 / FAR / MAR, events in time, false alarms and NAB figures. The score row
 * ({@code anomalyScore}) gives the threshold-free figures (NAB's threshold sweep, ROC and PR AUC) and those at other
 * thresholds than the stream's (the best F1, the events at 1 false alarm per 1,000): alarms there are the
 * {@link AlarmGate}'s over the scores alone, with the escalation re-alarm but without those signals (the stream's
 * alarms exist at its own threshold only); it has no own-threshold columns. The lagged score rows are scored at
 * {@code --anomaly-threshold} over their scores, as before; the stream's lagged alarms ({@code LaggedOutput.anomaly},
 * the lagged verdict's own gate, with the signals the records do not carry) have rows of their own, as the
 * application's alarms do ({@link AlarmRow}, branch {@code lag14j}).
 */
public final class BacktestDetection {
    /** Readings after an event's onset within which an alarm is in time. */
    public static final int HORIZON = 10;
    /** Readings below the threshold that re-arm an alarm (as the detector's default). */
    public static final int QUIET = 30;
    /** The row of the stream's own alarms ({@link #streamAlarms}). */
    public static final String STREAM_ALARMS = "the application's alarms (Prediction.anomaly)";
    /** The threshold at which {@link #streamAlarms} gives the stream's alarms: between 0 (none) and 1 (an alarm). */
    static final double FLAGGED = 0.5;
    /** The fitted z-score fits on each sensor's first this many readings. */
    public static final int FIT_ROWS = 400;

    private BacktestDetection() {
    }

    /**
     * The markdown table: the application's score and its alarms, then the references.
     *
     * @param series    the sensors' paired readings and predictions
     * @param labels    the labelled windows
     * @param threshold the alarm threshold of score rows other than the application's own ({@code --anomaly-threshold})
     */
    public static String table(List<SensorSeries> series, LabelWindows labels, double threshold, long seed) {
        return table(series, labels, threshold, seed, List.of());
    }

    /**
     * More of the application's scores, with alarms by {@link AlarmGate} over them at the table's threshold: e.g. the lagged
     * score of {@code rnn.smoothing.lag}.
     *
     * @param name   the row's name
     * @param scores a sensor's score per row of its series
     */
    public record ScoreRow(String name, Function<SensorSeries, double[]> scores) {
    }

    /**
     * More of the application's alarms, scored as {@link #STREAM_ALARMS} is (not recomputed from any score): e.g. the
     * lagged alarms of {@code rnn.smoothing.lag}.
     *
     * @param name   the row's name
     * @param alarms a sensor's alarms per row of its series
     */
    public record AlarmRow(String name, Function<SensorSeries, boolean[]> alarms) {
    }

    /** {@link #table(List, LabelWindows, double, long)} with {@code more} rows after the application's own. */
    public static String table(List<SensorSeries> series, LabelWindows labels, double threshold, long seed,
                               List<ScoreRow> more) {
        return table(series, labels, threshold, seed, more, List.of());
    }

    /** {@link #table(List, LabelWindows, double, long, List)} with {@code alarms} rows after the score rows. */
    public static String table(List<SensorSeries> series, LabelWindows labels, double threshold, long seed,
                               List<ScoreRow> more, List<AlarmRow> alarms) {
        List<DetectionTable.Row> rows = new ArrayList<>();
        rows.add(new DetectionTable.Row("the application's anomalyScore", Double.NaN,
                scored(series, labels, SensorSeries::anomalyScores), List.of(), AnomalyDetector.ESCALATION));
        rows.add(new DetectionTable.Row(STREAM_ALARMS, FLAGGED, streamAlarms(series, labels), List.of(),
                AlarmGate.NO_ESCALATION));
        for (ScoreRow row : more) {
            rows.add(new DetectionTable.Row(row.name(), threshold, scored(series, labels, row.scores()), List.of(),
                    AnomalyDetector.ESCALATION));
        }
        for (AlarmRow row : alarms) {
            rows.add(new DetectionTable.Row(row.name(), FLAGGED, alarmSeries(series, labels, row.alarms()), List.of(),
                    AlarmGate.NO_ESCALATION));
        }
        rows.add(reference("null (always 0)", series, labels, s -> ReferenceScorers.none()));
        rows.add(reference("random (seed " + seed + ")", series, labels,
                s -> ReferenceScorers.random(seed * 31 + s.sensor().hashCode())));
        rows.add(reference("running z-score (max over channels)", series, labels,
                s -> ReferenceScorers.runningZ(channels(s))));
        rows.add(reference("z-score fitted on the first " + FIT_ROWS + " readings", series, labels,
                s -> ReferenceScorers.fittedZ(channels(s), FIT_ROWS)));
        rows.add(reference("AR(8)-by-RLS residual z-score", series, labels,
                s -> ReferenceScorers.arResidualZ(channels(s))));
        return new DetectionTable(HORIZON, QUIET).labelled(rows);
    }

    private static int channels(SensorSeries s) {
        return s.size() == 0 ? 1 : s.actuals()[0].length;
    }

    private static DetectionTable.Row reference(String name, List<SensorSeries> series, LabelWindows labels,
                                                Function<SensorSeries, RunScorer> start) {
        return new DetectionTable.Row(name, Double.NaN, scored(series, labels, s -> {
            RunScorer scorer = start.apply(s);
            double[] scores = new double[s.size()];
            for (int t = 0; t < s.size(); t++) {
                scores[t] = scorer.score(s.actuals()[t].clone());
            }
            return scores;
        }), List.of());
    }

    /**
     * Each sensor's alarms as the stream raised them ({@link SensorSeries#alarms}) as a {@link ScoredSeries} that
     * {@link DetectionTable} scores at {@link #FLAGGED}: score 1 and signal {@link AlarmGate#CHANGE} at an alarm, 0
     * elsewhere. Through any {@link AlarmGate} of threshold {@link #FLAGGED} without escalation these give back exactly
     * the stream's alarms (an open gate alarms at a 1; a closed one re-alarms at a {@code CHANGE}; a 0 never alarms),
     * whatever the gate's quiet count.
     */
    static List<ScoredSeries> streamAlarms(List<SensorSeries> series, LabelWindows labels) {
        return alarmSeries(series, labels, SensorSeries::alarms);
    }

    /** {@code alarms} of each sensor as {@link #streamAlarms} gives the stream's. */
    static List<ScoredSeries> alarmSeries(List<SensorSeries> series, LabelWindows labels,
                                          Function<SensorSeries, boolean[]> alarms) {
        List<ScoredSeries> scored = scored(series, labels, s -> {
            boolean[] raised = alarms.apply(s);
            double[] flags = new double[s.size()];
            for (int t = 0; t < flags.length; t++) {
                flags[t] = raised[t] ? 1.0 : 0.0;
            }
            return flags;
        });
        List<ScoredSeries> out = new ArrayList<>();
        for (ScoredSeries s : scored) {
            int[] signals = new int[s.length()];
            for (int t = 0; t < signals.length; t++) {
                signals[t] = s.scores()[t] > 0 ? AlarmGate.CHANGE : 0;
            }
            out.add(new ScoredSeries(s.name(), s.scores(), s.anomalous(), s.windows(), s.firstScored(), signals));
        }
        return out;
    }

    /** Each sensor as a {@link ScoredSeries} with the given scores and its labels. */
    static List<ScoredSeries> scored(List<SensorSeries> series, LabelWindows labels,
                                     Function<SensorSeries, double[]> scores) {
        List<ScoredSeries> out = new ArrayList<>();
        for (SensorSeries s : series) {
            boolean[] anomalous = labels.labels(s.sensor(), s.eventTimes());
            List<LabelledWindow> windows = new ArrayList<>();
            int t = 0;
            while (t < anomalous.length) {
                if (!anomalous[t]) {
                    t++;
                    continue;
                }
                int first = t;
                while (t < anomalous.length && anomalous[t]) {
                    t++;
                }
                windows.add(new LabelledWindow(first, t - 1));
            }
            out.add(new ScoredSeries(s.sensor(), scores.apply(s), anomalous, windows, 0));
        }
        return out;
    }
}
