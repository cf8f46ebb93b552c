package io.rnnstreams.backtest;

import java.util.ArrayList;
import java.util.List;

/**
 * Pairs one sensor's input records with its predictions by event time, leaving out the records that went
 * to the dead-letter topic.
 *
 * <p>The application accepts a reading (and makes exactly one prediction for it) when it has the configured
 * number of channels, every value finite and within {@code +-maxAbsValue}, a non-negative event time, and an
 * event time after the sensor's last accepted reading; any other record is a dead letter. Pairing walks the
 * records in partition order with the predictions in the same order: a record is paired with the next
 * prediction when it passes those same checks and its event time equals the prediction's; otherwise it is
 * counted as skipped. A prediction at or before the last paired event time (a duplicate) is passed over.
 * Predictions left over at the end belong to records after the snapshot (or cannot be matched) and are
 * counted by {@link Result#unmatchedPredictions()}.
 */
public final class Pairing {
    private final int channels;
    private final double maxAbsValue;

    /**
     * @param channels    channels per reading, {@code rnn.model.channels}
     * @param maxAbsValue {@code rnn.input.max-abs-value}
     */
    public Pairing(int channels, double maxAbsValue) {
        this.channels = channels;
        this.maxAbsValue = maxAbsValue;
    }

    /**
     * The paired series and how many predictions found no record.
     *
     * @param series               the sensor's accepted readings and predictions
     * @param unmatchedPredictions predictions not paired (duplicates, or for records after the snapshot)
     */
    public record Result(SensorSeries series, long unmatchedPredictions) {
    }

    /**
     * @param sensor      the record key
     * @param records     the sensor's decodable input records in partition order
     * @param predictions the sensor's predictions in the order they were written
     */
    public Result pair(String sensor, List<Reading> records, List<PredictionPoint> predictions) {
        List<Reading> paired = new ArrayList<>();
        List<PredictionPoint> pairedPredictions = new ArrayList<>();
        long skipped = 0;
        long unmatched = 0;
        int j = 0;
        long last = Long.MIN_VALUE;
        for (Reading r : records) {
            while (j < predictions.size() && predictions.get(j).eventTime() <= last) {
                j++;
                unmatched++;
            }
            if (j < predictions.size() && accepted(r, last) && predictions.get(j).eventTime() == r.eventTime()
                    && predictions.get(j).forecast().length == channels) {
                paired.add(r);
                pairedPredictions.add(predictions.get(j));
                last = r.eventTime();
                j++;
            } else {
                skipped++;
            }
        }
        unmatched += predictions.size() - j;
        int n = paired.size();
        long[] times = new long[n];
        double[][] actuals = new double[n][];
        double[][] forecasts = new double[n][];
        double[][] previousErrors = new double[n][];
        double[] scores = new double[n];
        boolean[] alarms = new boolean[n];
        double[][] lower = new double[n][];
        double[][] upper = new double[n][];
        double[][][] horizons = new double[n][][];
        List<String> names = List.of();
        for (int t = 0; t < n; t++) {
            PredictionPoint p = pairedPredictions.get(t);
            times[t] = p.eventTime();
            actuals[t] = paired.get(t).values();
            forecasts[t] = p.forecast();
            previousErrors[t] = p.previousError() != null && p.previousError().length == channels
                    ? p.previousError() : null;
            scores[t] = p.anomalyScore();
            alarms[t] = p.anomaly();
            boolean banded = p.intervalLower() != null && p.intervalLower().length == channels
                    && p.intervalUpper() != null && p.intervalUpper().length == channels;
            lower[t] = banded ? p.intervalLower() : null;
            upper[t] = banded ? p.intervalUpper() : null;
            names = p.channelNames().size() == channels ? p.channelNames() : names;
            horizons[t] = p.horizon() != null && p.horizon().length > 0 && p.horizon()[0].length == channels
                    ? p.horizon() : null;
        }
        return new Result(new SensorSeries(sensor, times, actuals, forecasts, previousErrors, scores, skipped,
                lower, upper, names, horizons, alarms), unmatched);
    }

    /** Whether the application accepts {@code r} after a last accepted event time {@code last}. */
    boolean accepted(Reading r, long last) {
        if (r.eventTime() < 0 || r.eventTime() <= last || r.values().length != channels) {
            return false;
        }
        for (double v : r.values()) {
            if (!Double.isFinite(v) || Math.abs(v) > maxAbsValue) {
                return false;
            }
        }
        return true;
    }
}
