package io.rnnstreams.stream;

import static io.rnnstreams.stream.TopologyFixture.key;
import static io.rnnstreams.stream.TopologyFixture.reading;
import static io.rnnstreams.stream.TopologyFixture.time;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.learner.ModelScope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dead letter is its input record plus headers. An input value as large as the broker accepts by default
 * (about 1 MiB) once made a dead letter larger than the producer's max.request.size: RecordTooLargeException,
 * and the application stopped (found by HostileInputIT). Such a dead letter now keeps the first bytes of its
 * value that fit, with the original length and SHA-256 in headers; every other one keeps its bytes unchanged.
 */
class DeadLetterSizeTest {
    /** About the largest value the broker accepts by default (message.max.bytes 1,048,588 per batch). */
    private static final int ENORMOUS = 1_048_463;

    @TempDir
    Path dir;

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static String header(Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * Kafka's own size estimate of one record, the one {@code KafkaProducer} compares with {@code max.request.size}
     * before sending (an internal class of kafka-clients: {@code AbstractRecords.estimateSizeInBytesUpperBound}
     * at the current magic, no compression).
     */
    static int kafkaEstimate(byte[] key, byte[] value, Headers headers) {
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
                key, value, headers.toArray());
    }

    @Test
    void anEnormousValueIsCutToFitTheDefaultMaxRequestSizeAndTheNextReadingIsUnaffected() throws Exception {
        byte[] enormous = random(ENORMOUS);
        try (TopologyFixture f = new TopologyFixture(TopologyFixture.settings(ModelScope.KEY), dir)) {
            for (int t = 0; t < 5; t++) {
                f.send("s", time(t), reading(0, t));
            }
            f.input.pipeInput(key("s"), enormous, time(5));
            f.send("s", time(6), reading(0, 6));
            List<TestRecord<byte[], byte[]>> dead = f.deadLetters.readRecordsToList();
            assertEquals(1, dead.size());
            TestRecord<byte[], byte[]> letter = dead.get(0);
            assertEquals(DeadLetterReason.DESERIALIZATION, DeadLetters.reason(letter.headers()));
            assertEquals(Integer.toString(ENORMOUS), header(letter.headers(), DeadLetters.VALUE_TRUNCATED));
            assertEquals(DeadLetters.sha256(enormous), header(letter.headers(), DeadLetters.VALUE_SHA256));
            byte[] kept = letter.value();
            assertArrayEquals(Arrays.copyOf(enormous, kept.length), kept, "the first bytes of the original value");
            long size = DeadLetters.sizeUpperBound(key("s"), kept.length, letter.headers());
            assertTrue(size <= DeadLetters.DEFAULT_MAX_REQUEST_SIZE, "fits: " + size);
            assertTrue(size > DeadLetters.DEFAULT_MAX_REQUEST_SIZE - 16, "cut no more than needed: " + size);
            // the producer's own check (KafkaProducer.doSend: ensureValidRecordSize of this estimate)
            int kafka = kafkaEstimate(key("s"), kept, letter.headers());
            int uncut = kafkaEstimate(key("s"), enormous, letter.headers());
            System.out.printf("DeadLetterSizeTest: cut value %,d bytes; Kafka's estimate %,d (ours %,d), uncut %,d; "
                    + "max.request.size %,d%n", kept.length, kafka, size, uncut, DeadLetters.DEFAULT_MAX_REQUEST_SIZE);
            assertTrue(kafka <= DeadLetters.DEFAULT_MAX_REQUEST_SIZE, "fits by Kafka's own estimate: " + kafka);
            assertTrue(kafka <= size, "our bound is an upper bound of Kafka's: " + kafka + " > " + size);
            assertTrue(kafka > DeadLetters.DEFAULT_MAX_REQUEST_SIZE - DeadLetters.RECORD_OVERHEAD - 16,
                    "cut no more than needed by Kafka's estimate: " + kafka);
            // the control: the same record uncut is what the producer refused (RecordTooLargeException)
            assertTrue(uncut > DeadLetters.DEFAULT_MAX_REQUEST_SIZE, "uncut it would not fit: " + uncut);
            assertEquals(6, f.predictions.readRecordsToList().size(), "the five readings before and the one after");
        }
    }

    @Test
    void aLargerProducerMaxRequestSizeKeepsTheWholeValue() throws Exception {
        byte[] enormous = random(ENORMOUS);
        try (TopologyFixture f = new TopologyFixture(TopologyFixture.settings(ModelScope.KEY), dir,
                Map.of("producer.max.request.size", "2097152"))) {
            f.input.pipeInput(key("s"), enormous, time(0));
            TestRecord<byte[], byte[]> letter = f.deadLetters.readRecordsToList().get(0);
            assertArrayEquals(enormous, letter.value());
            assertNull(letter.headers().lastHeader(DeadLetters.VALUE_TRUNCATED));
        }
    }

    @Test
    void theDeserializationHandlerCutsToo() {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(Map.of(DeadLetterDeserializationHandler.TOPIC_CONFIG, "dlq", "max.request.size", "2000"));
        byte[] badKey = {(byte) 0xFF, 'k'};
        byte[] value = random(5_000);
        var response = handler.handleError(null, new ConsumerRecord<>("sensors", 0, 7L, badKey, value),
                new IllegalArgumentException("not UTF-8"));
        ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
        assertEquals("5000", header(letter.headers(), DeadLetters.VALUE_TRUNCATED));
        assertArrayEquals(Arrays.copyOf(value, letter.value().length), letter.value());
        assertTrue(DeadLetters.sizeUpperBound(badKey, letter.value().length, letter.headers()) <= 2000);
        assertTrue(kafkaEstimate(badKey, letter.value(), letter.headers()) <= 2000, "fits by Kafka's estimate");
        assertTrue(kafkaEstimate(badKey, value, letter.headers()) > 2000, "uncut it would not fit");
        assertTrue(letter.value().length > 1000, "kept " + letter.value().length);
    }

    @Test
    void fitReturnsTheSameBytesWhenTheyFitAndNullStaysNull() {
        Headers headers = DeadLetters.headers(DeadLetterReason.NON_FINITE, "channel 0 is NaN", "t", 0, 1);
        byte[] value = random(1_000);
        assertSame(value, DeadLetters.fit(key("s"), value, headers, 2_000));
        assertNull(headers.lastHeader(DeadLetters.VALUE_TRUNCATED));
        assertNull(DeadLetters.fit(key("s"), null, headers, 10));
        assertEquals(DeadLetters.DEFAULT_MAX_REQUEST_SIZE, DeadLetters.maxRequestSize(Map.of()));
        assertEquals(5, DeadLetters.maxRequestSize(Map.of("max.request.size", 7, "producer.max.request.size", "5")));
        assertEquals(7, DeadLetters.maxRequestSize(Map.of("max.request.size", 7)));
    }
}
