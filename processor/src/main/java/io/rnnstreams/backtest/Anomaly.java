package io.rnnstreams.backtest;

/**
 * A reading whose prediction's anomaly score reached the threshold.
 *
 * @param sensor    the sensor (record key)
 * @param eventTime event time of the reading, epoch milliseconds
 * @param score     its anomaly score
 */
public record Anomaly(String sensor, long eventTime, double score) {
}
