package io.rnnstreams.stream;

import static io.rnnstreams.stream.TopologyFixture.reading;
import static io.rnnstreams.stream.TopologyFixture.time;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rnnstreams.learner.ModelScope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 3: a key longer than {@code rnn.input.max-key-bytes} is a {@link DeadLetterReason#KEY_TOO_LONG}
 * dead letter whose key is cut to the limit (its length and SHA-256 in headers), so it never reaches a changelog
 * or the predictions topic; the input's headers (an {@code authorization} one, a large one) are not copied onto
 * the prediction.
 */
class RecordSizeTest {
    @TempDir
    Path dir;

    @Test
    void aKeyOverTheLimitIsADeadLetterWithItsKeyCut() {
        try (TopologyFixture f = new TopologyFixture(TopologyFixture.settings(ModelScope.KEY), dir)) {
            String key = "k".repeat(5000);
            f.send(key, time(0), reading(0, 0));
            f.send("ok", time(0), reading(0, 0));
            List<TestRecord<byte[], byte[]>> dead = f.deadLetters.readRecordsToList();
            assertEquals(1, dead.size(), "one dead letter");
            TestRecord<byte[], byte[]> letter = dead.get(0);
            assertEquals(DeadLetterReason.KEY_TOO_LONG, DeadLetters.reason(letter.headers()));
            assertEquals(1024, letter.key().length, "the dead letter's key is cut to rnn.input.max-key-bytes");
            assertEquals("5000", text(letter.headers().lastHeader(DeadLetters.KEY_TRUNCATED).value()));
            assertEquals(DeadLetters.sha256(key.getBytes(StandardCharsets.UTF_8)),
                    text(letter.headers().lastHeader(DeadLetters.KEY_SHA256).value()));
            assertArrayEquals(TopologyFixture.encode(time(0), reading(0, 0)), letter.value());
            assertNull(f.driver.getKeyValueStore(ForecastTopology.KEY_STATE_STORE).get(key));
            List<TestRecord<String, byte[]>> out = f.predictions.readRecordsToList();
            assertEquals(1, out.size());
            assertEquals("ok", out.get(0).key());
        }
    }

    @Test
    void inputHeadersAreNotCopiedOntoThePrediction() {
        try (TopologyFixture f = new TopologyFixture(TopologyFixture.settings(ModelScope.KEY), dir)) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("authorization", "Bearer secret".getBytes(StandardCharsets.UTF_8));
            headers.add("big", new byte[100_000]);
            f.input.pipeInput(new TestRecord<>(TopologyFixture.key("s"), TopologyFixture.encode(time(0),
                    reading(0, 0)), headers, time(0)));
            List<TestRecord<String, byte[]>> out = f.predictions.readRecordsToList();
            assertEquals(1, out.size());
            assertEquals(0, out.get(0).headers().toArray().length, "no header copied, found: "
                    + java.util.Arrays.stream(out.get(0).headers().toArray()).map(h -> h.key()).toList());
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
