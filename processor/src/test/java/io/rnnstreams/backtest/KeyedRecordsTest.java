package io.rnnstreams.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** {@link KeyedRecords}: what is kept per sensor, in order, and what is only counted. */
class KeyedRecordsTest {
    private static final SingleObjectCodec<SensorReading> CODEC = SingleObjectCodec.of(SensorReading.class);
    private long offset;

    @Test
    void keepsDecodableKeyedRecordsPerSensorInOrderAndCountsTheRest() {
        KeyedRecords<SensorReading, Reading> inputs = KeyedRecords.inputs();
        inputs.accept(record(utf8("s1"), reading(1_000, 1.5, -2)));
        inputs.accept(record(null, reading(2_000, 1)));                          // no key
        inputs.accept(record(new byte[] {(byte) 0xC3, 0x28}, reading(3_000, 1))); // a key that is not UTF-8
        inputs.accept(record(utf8("s1"), null));                                  // no value
        inputs.accept(record(utf8("s2"), new byte[] {1, 2, 3}));                  // not a single-object record
        inputs.accept(record(utf8("s2"), reading(4_000, 7)));
        inputs.accept(record(utf8("s1"), reading(5_000, 3, 4)));

        assertEquals(7, inputs.records());
        assertEquals(4, inputs.unusable());
        Map<String, List<Reading>> bySensor = inputs.bySensor();
        assertEquals(2, bySensor.size());
        List<Reading> s1 = bySensor.get("s1");
        assertEquals(2, s1.size());
        assertEquals(1_000, s1.get(0).eventTime());
        assertArrayEquals(new double[] {1.5, -2}, s1.get(0).values(), 0.0);
        assertEquals(5_000, s1.get(1).eventTime());
        assertArrayEquals(new double[] {3, 4}, s1.get(1).values(), 0.0);
        assertArrayEquals(new double[] {7}, bySensor.get("s2").get(0).values(), 0.0);
    }

    private ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
        return new ConsumerRecord<>("in", 0, offset++, key, value);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] reading(long eventTime, double... values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        return CODEC.encode(SensorReading.newBuilder().setEventTime(Instant.ofEpochMilli(eventTime)).setValues(list)
                .build());
    }
}
