package io.rnnstreams.backtest;

/**
 * One decoded record of the input topic: a sensor reading as it was sent (it may still be one that the
 * application dead-lettered, e.g. with a non-finite value).
 *
 * @param eventTime event time, epoch milliseconds
 * @param values    one value per channel
 */
public record Reading(long eventTime, double[] values) {
}
