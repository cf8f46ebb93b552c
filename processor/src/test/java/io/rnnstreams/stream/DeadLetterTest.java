package io.rnnstreams.stream;

import static io.rnnstreams.stream.TopologyFixture.encode;
import static io.rnnstreams.stream.TopologyFixture.key;
import static io.rnnstreams.stream.TopologyFixture.reading;
import static io.rnnstreams.stream.TopologyFixture.time;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.learner.ModelScope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each dead-letter reason: the record lands in the dead-letter topic with that reason and its original
 * bytes, the key's state is byte-for-byte unchanged, and the next valid reading gets exactly the prediction
 * it would have had if the bad record had never come.
 */
class DeadLetterTest {
    private static final SingleObjectCodec<KeyState> KEY_STATES = SingleObjectCodec.of(KeyState.class);
    private static final int BEFORE = 20;

    @TempDir
    Path dir;

    /** Sends BEFORE valid readings, then {@code bad}, then one more valid reading; checks everything. */
    private void check(DeadLetterReason reason, byte[] badKey, byte[] badValue) throws Exception {
        byte[] reference;
        try (TopologyFixture clean = new TopologyFixture(TopologyFixture.settings(ModelScope.KEY), dir.resolve("a"))) {
            for (int t = 0; t <= BEFORE; t++) {
                clean.send("s", time(t), reading(0, t));
            }
            List<TestRecord<String, byte[]>> out = clean.predictions.readRecordsToList();
            reference = out.get(BEFORE).value();
        }
        try (TopologyFixture f = new TopologyFixture(TopologyFixture.settings(ModelScope.KEY), dir.resolve("b"))) {
            for (int t = 0; t < BEFORE; t++) {
                f.send("s", time(t), reading(0, t));
            }
            var store = f.driver.<String, KeyState>getKeyValueStore(ForecastTopology.KEY_STATE_STORE);
            byte[] stateBefore = KEY_STATES.encode(store.get("s"));
            f.input.pipeInput(badKey, badValue, time(BEFORE - 1) + 1);

            List<TestRecord<byte[], byte[]>> dead = f.deadLetters.readRecordsToList();
            assertEquals(1, dead.size(), "exactly one dead letter");
            TestRecord<byte[], byte[]> letter = dead.get(0);
            assertEquals(reason, DeadLetters.reason(letter.headers()));
            String detail = new String(letter.headers().lastHeader(DeadLetters.DETAIL).value(), StandardCharsets.UTF_8);
            assertTrue(!detail.isBlank(), "a human-readable detail");
            assertEquals(TopologyFixture.INPUT, new String(letter.headers().lastHeader(DeadLetters.SOURCE_TOPIC).value(),
                    StandardCharsets.UTF_8));
            assertArrayEquals(badKey, letter.key(), "original key bytes");
            assertArrayEquals(badValue, letter.value(), "original value bytes");
            assertEquals(BEFORE, f.predictions.readRecordsToList().size(), "no prediction for a dead letter");
            assertArrayEquals(stateBefore, KEY_STATES.encode(store.get("s")), "state untouched");
            assertEquals(1.0, ForecastTopologyTest.metric(f, "dead-letters-"
                    + reason.name().toLowerCase().replace('_', '-') + "-total"), 0.0);

            f.send("s", time(BEFORE), reading(0, BEFORE));
            List<TestRecord<String, byte[]>> next = f.predictions.readRecordsToList();
            assertEquals(1, next.size());
            assertArrayEquals(reference, next.get(0).value(), "the next reading is processed as if nothing happened");
        }
    }

    private static byte[] valid(double... values) {
        return encode(time(BEFORE - 1) + 1, values);
    }

    @Test
    void deserialization() throws Exception {
        check(DeadLetterReason.DESERIALIZATION, key("s"), new byte[] {(byte) 0xC3, 1, 9, 9, 9, 9, 9, 9, 9, 9, 0});
    }

    @Test
    void nullKey() throws Exception {
        check(DeadLetterReason.NULL_KEY, null, valid(1, 2));
    }

    @Test
    void nullValue() throws Exception {
        check(DeadLetterReason.NULL_VALUE, key("s"), null);
    }

    @Test
    void wrongDimension() throws Exception {
        check(DeadLetterReason.WRONG_DIMENSION, key("s"), valid(1, 2, 3));
    }

    @Test
    void nonFinite() throws Exception {
        check(DeadLetterReason.NON_FINITE, key("s"), valid(1, Double.NaN));
    }

    @Test
    void infinite() throws Exception {
        check(DeadLetterReason.NON_FINITE, key("s"), valid(Double.NEGATIVE_INFINITY, 2));
    }

    @Test
    void outOfRange() throws Exception {
        check(DeadLetterReason.OUT_OF_RANGE, key("s"), valid(1, 3e12));
    }

    @Test
    void missingTimestamp() throws Exception {
        check(DeadLetterReason.MISSING_TIMESTAMP, key("s"), encode(-1, 1, 2));
    }

    @Test
    void duplicateTimestampIsOutOfOrder() throws Exception {
        check(DeadLetterReason.OUT_OF_ORDER, key("s"), encode(time(BEFORE - 1), 1, 2));
    }

    @Test
    void earlierTimestampIsOutOfOrder() throws Exception {
        check(DeadLetterReason.OUT_OF_ORDER, key("s"), encode(time(3), 1, 2));
    }

    /** A key that is not UTF-8 fails in the source's key deserializer; the handler turns it into a dead letter. */
    @Test
    void malformedKeyGoesThroughTheHandlerWithItsOriginalBytes() {
        byte[] badKey = {(byte) 0xFF, (byte) 0xFE, 'x'};
        byte[] value = valid(1, 2);
        Exception failure = null;
        try {
            new StrictStringDeserializer().deserialize("t", badKey);
        } catch (Exception e) {
            failure = e;
        }
        assertTrue(failure != null, "malformed UTF-8 is refused");
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(Map.of(DeadLetterDeserializationHandler.TOPIC_CONFIG, "dlq"));
        var response = handler.handleError(null, new ConsumerRecord<>("sensors", 3, 42L, badKey, value), failure);
        assertEquals(DeserializationExceptionHandler.Result.RESUME, response.result());
        List<ProducerRecord<byte[], byte[]>> letters = response.deadLetterQueueRecords();
        assertEquals(1, letters.size());
        assertEquals("dlq", letters.get(0).topic());
        assertArrayEquals(badKey, letters.get(0).key());
        assertArrayEquals(value, letters.get(0).value());
        assertEquals(DeadLetterReason.DESERIALIZATION, DeadLetters.reason(letters.get(0).headers()));
        assertEquals("42", new String(letters.get(0).headers().lastHeader(DeadLetters.SOURCE_OFFSET).value(),
                StandardCharsets.UTF_8));
        assertNull(new StrictStringDeserializer().deserialize("t", null));
    }
}
