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
 */
public record SensorSeries(String sensor, long[] eventTimes, double[][] actuals, double[][] forecasts,
                           double[][] previousErrors, double[] anomalyScores, long skipped) {

    /** Number of accepted readings. */
    public int size() {
        return eventTimes.length;
    }
}
