package io.rnnstreams.backtest;

import io.rnnstreams.avro.SensorReading;

/**
 * One decoded record of the input topic: a sensor reading as it was sent (it may still be one that the
 * application dead-lettered, e.g. with a non-finite value).
 *
 * @param eventTime event time, epoch milliseconds
 * @param values    one value per channel
 */
public record Reading(long eventTime, double[] values) {
    /** What the backtest keeps of a decoded {@code SensorReading}. */
    static Reading of(SensorReading r) {
        double[] values = new double[r.getValues().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.getValues().get(i);
        }
        return new Reading(r.getEventTime().toEpochMilli(), values);
    }
}
