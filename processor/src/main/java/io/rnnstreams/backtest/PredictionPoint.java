package io.rnnstreams.backtest;

/**
 * What the backtest uses of one {@code Prediction}.
 *
 * @param eventTime     event time of the reading the prediction follows, epoch milliseconds
 * @param forecast      forecast of the next reading, per channel
 * @param previousError this reading minus the forecast made at the previous reading, per channel; null when
 *                      no forecast preceded it
 * @param anomalyScore  the prediction's anomaly score in [0, 1]
 */
public record PredictionPoint(long eventTime, double[] forecast, double[] previousError, double anomalyScore) {
}
