package io.rnnstreams.stream;

import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.avro.UndecodableRecordException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Value deserializer of the sensor topics. It never throws for bad bytes: a value that is not a
 * single-object-encoded {@link SensorReading} comes out as a {@link RawReading} with the decoding error,
 * and {@link ForecastProcessor} sends it to the dead-letter topic (reason DESERIALIZATION) inside the same
 * transaction as the input offset. (Dead letters returned by a DeserializationExceptionHandler are counted
 * as dropped, not delivered, under TopologyTestDriver 4.3.1, so the value path does not rely on them.)
 * A {@code null} value (tombstone) passes through as {@code null}.
 */
public final class RawReadingDeserializer implements Deserializer<RawReading> {
    private final SingleObjectCodec<SensorReading> codec = SingleObjectCodec.of(SensorReading.class);

    @Override
    public RawReading deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return new RawReading(bytes, codec.decode(bytes), null);
        } catch (UndecodableRecordException e) {
            return new RawReading(bytes, null, e.getMessage());
        }
    }
}
