package io.rnnstreams.stream;

/** Why a record went to the dead-letter topic: the value of its {@code reason} header. */
public enum DeadLetterReason {
    /** The key is not UTF-8 or the value is not a single-object-encoded SensorReading. */
    DESERIALIZATION,
    /** The record has no key: a reading must name its sensor. */
    NULL_KEY,
    /** The record has no value (a tombstone on the sensor topic). */
    NULL_VALUE,
    /** The reading's vector does not have the configured number of channels. */
    WRONG_DIMENSION,
    /** A channel is NaN or infinite. */
    NON_FINITE,
    /** A channel is beyond the configured {@code rnn.input.max-abs-value}. */
    OUT_OF_RANGE,
    /** The reading's event time is negative (Kafka's "no timestamp"). */
    MISSING_TIMESTAMP,
    /** The reading's event time is not after the sensor's last one (duplicates included). */
    OUT_OF_ORDER,
    /**
     * The reading's event time is more than {@code rnn.time.max-ahead} ahead of the wall clock: a broker refuses
     * output records stamped that far ahead ({@code message.timestamp.after.max.ms}), and stream time must not
     * jump there. The dead letter is stamped with the record's own timestamp (or the partition's time).
     */
    EVENT_TIME_AHEAD,
    /**
     * The key is longer than {@code rnn.input.max-key-bytes} in UTF-8: it would make changelog and prediction
     * records that a producer or broker may refuse. The dead letter's key is cut to the limit.
     */
    KEY_TOO_LONG
}
