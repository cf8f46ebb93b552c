package io.rnnstreams.stream;

import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.UndecodableRecordException;
import io.rnnstreams.stream.registry.RegistrySerde;
import io.rnnstreams.stream.registry.RegistryUnavailableException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Value deserializer of the sensor topics when they carry the schema-registry wire format: the
 * counterpart of {@link RawReadingDeserializer}. A value that is not a
 * {@link SensorReading} in that format comes out as a {@link RawReading} with the reason (for the
 * dead-letter topic); a registry that cannot be asked throws {@link RegistryUnavailableException} (no
 * record is dead-lettered for an outage). A {@code null} value (tombstone) passes through as {@code null}.
 */
public final class RegistryReadingDeserializer implements Deserializer<RawReading> {
    private final RegistrySerde<SensorReading> serde;

    public RegistryReadingDeserializer(RegistrySerde<SensorReading> serde) {
        this.serde = serde;
    }

    @Override
    public RawReading deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return new RawReading(bytes, serde.decode(topic, bytes), null);
        } catch (UndecodableRecordException e) {
            return new RawReading(bytes, null, e.getMessage());
        }
    }

    @Override
    public void close() {
        serde.close();
    }
}
