package io.rnnstreams.stream;

import io.rnnstreams.avro.SingleObjectCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde of a generated Avro class in Avro's single-object encoding (schema fingerprint in the
 * header). {@code null} is a tombstone both ways. Decoding bytes that are not such a record throws
 * {@link io.rnnstreams.avro.UndecodableRecordException}.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final SingleObjectCodec<T> codec;

    public AvroSerde(SingleObjectCodec<T> codec) {
        this.codec = codec;
    }

    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(SingleObjectCodec.of(type));
    }

    public SingleObjectCodec<T> codec() {
        return codec;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, record) -> record == null ? null : codec.encode(record);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : codec.decode(bytes);
    }
}
