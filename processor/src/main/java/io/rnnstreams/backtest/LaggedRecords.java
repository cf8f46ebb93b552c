package io.rnnstreams.backtest;

import io.rnnstreams.avro.LaggedOutput;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The lagged topic's records ({@code LaggedOutput}, written with {@code rnn.smoothing.lag} > 0) as the backtest
 * scores them; {@link KeyedRecords#lagged()} collects them.
 */
final class LaggedRecords {
    /**
     * What the backtest uses of one lagged output.
     *
     * @param eventTime   event time of the judged reading
     * @param lag         {@code L}: the judgement was made at the sensor's {@code L}-th later reading
     * @param score       the judged reading's lagged anomaly score in [0, 1) ({@code LaggedOutput.score}, from
     *                    {@code eval.detection.LaggedScore}; not the two-sided test's {@code laggedScore})
     * @param anomaly     whether the stream raised a lagged alarm on it ({@code LaggedOutput.anomaly}: the verdict's
     *                    own gate, with the signals the record does not carry)
     */
    record Point(long eventTime, int lag, double score, boolean anomaly) {
        /** What the backtest keeps of a decoded {@code LaggedOutput}. */
        static Point of(LaggedOutput o) {
            return new Point(o.getEventTime().toEpochMilli(), o.getLag(), o.getScore(), o.getAnomaly());
        }
    }

    /**
     * The lagged scores of {@code series}' readings, each placed at the row of the reading whose arrival completed it
     * ({@code atCompletion}: judged row + {@code L}, what a consumer of the stream can act on, the delay charged) or at
     * the judged row itself (hindsight); 0 where no judgement lands (the first {@code L} rows, and the readings
     * never judged), as the application's warm-up shows.
     */
    static double[] scores(SensorSeries series, List<Point> points, boolean atCompletion) {
        return placed(series, points, atCompletion, Point::score);
    }

    /**
     * The stream's lagged alarms ({@link Point#anomaly}) of {@code series}' readings, placed as {@link #scores} places
     * the scores: true where the judgement placed there raised one.
     */
    static boolean[] alarms(SensorSeries series, List<Point> points, boolean atCompletion) {
        double[] placed = placed(series, points, atCompletion, p -> p.anomaly() ? 1.0 : 0.0);
        boolean[] alarms = new boolean[placed.length];
        for (int t = 0; t < placed.length; t++) {
            alarms[t] = placed[t] > 0;
        }
        return alarms;
    }

    private static double[] placed(SensorSeries series, List<Point> points, boolean atCompletion,
                                   ToDoubleFunction<Point> value) {
        double[] scores = new double[series.size()];
        Map<Long, Integer> rows = new HashMap<>();
        for (int t = 0; t < series.size(); t++) {
            rows.put(series.eventTimes()[t], t);
        }
        for (Point p : points) {
            Integer row = rows.get(p.eventTime());
            if (row == null) {
                continue;
            }
            int at = atCompletion ? row + p.lag() : row;
            if (at < scores.length) {
                scores[at] = value.applyAsDouble(p);
            }
        }
        return scores;
    }

    private LaggedRecords() {
    }
}
