package io.rnnstreams.stream;

import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.config.StreamLimits;
import io.rnnstreams.config.StreamSettings;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The processor's first step: whether a sensor-topic record is a reading the model may learn from. Checks, in
 * this order (the first failure is the record's dead-letter reason): a key of at most
 * {@code rnn.input.max-key-bytes} UTF-8 bytes, a value, a decodable {@link SensorReading}, a non-negative event
 * time not beyond {@code rnn.time.max-ahead} of the wall clock, {@code D} channels, every channel finite and
 * within {@code +-maxAbsValue}. Whether the reading comes after the key's last one needs the key's state and is
 * checked when that is loaded.
 */
final class ReadingValidator {
    private final int channels;
    private final double maxAbsValue;
    private final StreamLimits limits;

    ReadingValidator(StreamSettings settings) {
        this.channels = settings.channels();
        this.maxAbsValue = settings.maxAbsValue();
        this.limits = settings.limits();
    }

    /**
     * What the check found: a usable reading ({@code reason} null) with its event time and values, or the
     * reason and detail of its dead letter.
     */
    record Verdict(long eventTime, double[] values, DeadLetterReason reason, String detail) {
        static Verdict reject(DeadLetterReason reason, String detail) {
            return new Verdict(-1, null, reason, detail);
        }

        boolean accepted() {
            return reason == null;
        }
    }

    /** Checks one record at wall-clock time {@code now} (milliseconds since the epoch). */
    Verdict check(String key, RawReading raw, long now) {
        if (key == null) {
            return Verdict.reject(DeadLetterReason.NULL_KEY, "a reading must be keyed by its sensor id");
        }
        // a char takes at most 3 UTF-8 bytes: only long keys are encoded to be measured
        int keyBytes = key.length() * 3 <= limits.maxKeyBytes() ? 0 : key.getBytes(StandardCharsets.UTF_8).length;
        if (keyBytes > limits.maxKeyBytes()) {
            return Verdict.reject(DeadLetterReason.KEY_TOO_LONG, "key has " + keyBytes
                    + " UTF-8 bytes, more than rnn.input.max-key-bytes (" + limits.maxKeyBytes() + ")");
        }
        if (raw == null) {
            return Verdict.reject(DeadLetterReason.NULL_VALUE, "tombstone (null value) on a sensor topic");
        }
        SensorReading reading = raw.reading();
        if (reading == null) {
            return Verdict.reject(DeadLetterReason.DESERIALIZATION, raw.decodeError());
        }
        long eventTime = reading.getEventTime().toEpochMilli();
        if (eventTime < 0) {
            return Verdict.reject(DeadLetterReason.MISSING_TIMESTAMP, "eventTime " + eventTime + " is negative");
        }
        if (eventTime > limits.latestEventTime(now)) {
            return Verdict.reject(DeadLetterReason.EVENT_TIME_AHEAD, "eventTime " + reading.getEventTime()
                    + " is more than rnn.time.max-ahead (" + limits.maxAhead() + ") ahead of the wall clock "
                    + java.time.Instant.ofEpochMilli(now));
        }
        List<Double> values = reading.getValues();
        if (values.size() != channels) {
            return Verdict.reject(DeadLetterReason.WRONG_DIMENSION,
                    "reading has " + values.size() + " channels, expected " + channels);
        }
        double[] x = new double[values.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = values.get(i);
            if (!Double.isFinite(x[i])) {
                return Verdict.reject(DeadLetterReason.NON_FINITE, "channel " + i + " is " + x[i]);
            }
            if (Math.abs(x[i]) > maxAbsValue) {
                return Verdict.reject(DeadLetterReason.OUT_OF_RANGE,
                        "channel " + i + " is " + x[i] + ", beyond +-" + maxAbsValue);
            }
        }
        return new Verdict(eventTime, x, null, null);
    }
}
