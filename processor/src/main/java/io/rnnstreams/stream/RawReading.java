package io.rnnstreams.stream;

import io.rnnstreams.avro.SensorReading;

/**
 * The bytes of a sensor-topic value and what they decoded to: a {@link SensorReading}, or, when they are
 * not one, why not ({@code reading} is then null). Keeping the bytes lets any unusable record reach the
 * dead-letter topic byte for byte.
 */
public record RawReading(byte[] bytes, SensorReading reading, String decodeError) {
}
