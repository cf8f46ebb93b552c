package io.rnnstreams.backtest;

import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.avro.UndecodableRecordException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Collects the input topic's records per sensor, in partition order, decoded as {@link SensorReading}s.
 * Records the application can only dead-letter whatever their content (no key, a key that is not UTF-8, a
 * value that is not a single-object {@code SensorReading}) are only counted.
 */
final class InputRecords implements Consumer<ConsumerRecord<byte[], byte[]>> {
    private final SingleObjectCodec<SensorReading> codec = SingleObjectCodec.of(SensorReading.class);
    private final Map<String, List<Reading>> bySensor = new HashMap<>();
    private long records;
    private long unusable;

    @Override
    public void accept(ConsumerRecord<byte[], byte[]> r) {
        records++;
        String key = utf8(r.key());
        if (key == null || r.value() == null) {
            unusable++;
            return;
        }
        SensorReading reading;
        try {
            reading = codec.decode(r.value());
        } catch (UndecodableRecordException e) {
            unusable++;
            return;
        }
        double[] values = new double[reading.getValues().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = reading.getValues().get(i);
        }
        bySensor.computeIfAbsent(key, k -> new ArrayList<>())
                .add(new Reading(reading.getEventTime().toEpochMilli(), values));
    }

    /** Per sensor, its decodable records in partition order. */
    Map<String, List<Reading>> bySensor() {
        return bySensor;
    }

    /** Records seen. */
    long records() {
        return records;
    }

    /** Records without a usable key or value. */
    long unusable() {
        return unusable;
    }

    private static String utf8(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
