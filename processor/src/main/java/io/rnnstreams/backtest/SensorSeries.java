package io.rnnstreams.backtest;

/**
 * One sensor's accepted readings (those the application made a prediction for, in processing order) with
 * what it predicted at each; row {@code t} of every array belongs to reading {@code t}.
 *
 * @param sensor         the sensor (record key)
 * @param eventTimes     event time of each reading, strictly increasing
 * @param actuals        the reading's values, per channel
 * @param forecasts      the RNN's forecast of the next reading, made at this one
 * @param previousErrors {@code Prediction.previousError} of this reading, null in a row when absent
 * @param anomalyScores  the prediction's anomaly score
 * @param skipped        records of this sensor that got no prediction (dead letters), not in the arrays
 * @param intervalLower  the lower bounds of the interval around {@code forecasts}, per channel; null in a row
 *                       when the prediction had none
 * @param intervalUpper  the upper bounds, as {@code intervalLower}
 * @param channelNames   the channel names of the sensor's last prediction that had them; empty if none did
 * @param horizons       the prediction's forecasts of the next {@code N} readings ({@code [t][h-1]}, per channel);
 *                       null in a row when it had none ({@link PredictionPoint#horizon})
 * @param alarms         the prediction's {@code anomaly} flag ({@link PredictionPoint#anomaly}): the alarms the stream
 *                       raised, by its detector's own rule; what the backtest and the demo report as alarms (not
 *                       recomputed from {@code anomalyScores}, which lack the detector's signals)
 */
public record SensorSeries(String sensor, long[] eventTimes, double[][] actuals, double[][] forecasts,
                           double[][] previousErrors, double[] anomalyScores, long skipped, double[][] intervalLower,
                           double[][] intervalUpper, java.util.List<String> channelNames, double[][][] horizons,
                           boolean[] alarms) {
    /** A series without alarms. */
    public SensorSeries(String sensor, long[] eventTimes, double[][] actuals, double[][] forecasts,
                        double[][] previousErrors, double[] anomalyScores, long skipped, double[][] intervalLower,
                        double[][] intervalUpper, java.util.List<String> channelNames, double[][][] horizons) {
        this(sensor, eventTimes, actuals, forecasts, previousErrors, anomalyScores, skipped, intervalLower,
                intervalUpper, channelNames, horizons, new boolean[eventTimes.length]);
    }

    /** A series without multi-step forecasts. */
    public SensorSeries(String sensor, long[] eventTimes, double[][] actuals, double[][] forecasts,
                        double[][] previousErrors, double[] anomalyScores, long skipped, double[][] intervalLower,
                        double[][] intervalUpper, java.util.List<String> channelNames) {
        this(sensor, eventTimes, actuals, forecasts, previousErrors, anomalyScores, skipped, intervalLower,
                intervalUpper, channelNames, new double[eventTimes.length][][]);
    }

    /** A series without intervals or channel names. */
    public SensorSeries(String sensor, long[] eventTimes, double[][] actuals, double[][] forecasts,
                        double[][] previousErrors, double[] anomalyScores, long skipped) {
        this(sensor, eventTimes, actuals, forecasts, previousErrors, anomalyScores, skipped,
                new double[eventTimes.length][], new double[eventTimes.length][], java.util.List.of());
    }

    /** The name of channel {@code c}: its name in {@link #channelNames}, else {@code "channel c"}. */
    public String channelName(int c) {
        return c < channelNames.size() ? channelNames.get(c) : "channel " + c;
    }

    /** Number of accepted readings. */
    public int size() {
        return eventTimes.length;
    }
}
