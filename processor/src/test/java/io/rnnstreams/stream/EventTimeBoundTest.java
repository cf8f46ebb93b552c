package io.rnnstreams.stream;

import static io.rnnstreams.stream.TopologyFixture.reading;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.ModelScope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 items 1 and 2: a reading whose event time is beyond {@code rnn.time.max-ahead} of the wall clock
 * (near {@code Long.MAX_VALUE}, or just two hours ahead) is a dead letter ({@link DeadLetterReason#EVENT_TIME_AHEAD})
 * stamped with a time the broker accepts, stream time does not jump to it, and the other sensors go on.
 */
class EventTimeBoundTest {
    @TempDir
    Path dir;

    private static StreamSettings settings() {
        return TopologyFixture.settings(ModelScope.KEY);
    }

    @Test
    void aReadingNearLongMaxIsADeadLetterAndTheTopologyGoesOn() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (TopologyFixture f = new TopologyFixture(settings(), dir)) {
                long now = System.currentTimeMillis();
                f.send("ok", now - 120_000, reading(0, 0));
                f.input.pipeInput(TopologyFixture.key("far"),
                        TopologyFixture.encode(Long.MAX_VALUE - 1, reading(1, 0)), now);
                f.send("ok", now - 60_000, reading(0, 1));
                assertOneAheadLetter(f, now);
                assertEquals(2, f.predictions.readRecordsToList().size(), "both readings of 'ok' predicted");
            }
        });
    }

    @Test
    void aReadingTwoHoursAheadIsADeadLetterStampedWithATimeTheBrokerAccepts() {
        try (TopologyFixture f = new TopologyFixture(settings(), dir)) {
            long now = System.currentTimeMillis();
            f.input.pipeInput(TopologyFixture.key("ahead"),
                    TopologyFixture.encode(now + Duration.ofHours(2).toMillis(), reading(1, 0)), now);
            f.send("ok", now - 60_000, reading(0, 1));
            assertOneAheadLetter(f, now);
            List<TestRecord<String, byte[]>> out = f.predictions.readRecordsToList();
            assertEquals(1, out.size());
            assertEquals("ok", out.get(0).key());
            assertEquals(now - 60_000, out.get(0).timestamp(), "a prediction is stamped with its event time");
        }
    }

    @Test
    void aReadingWithinTheBoundIsPredicted() {
        try (TopologyFixture f = new TopologyFixture(settings(), dir)) {
            long ahead = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
            f.send("soon", ahead, reading(0, 0));
            assertEquals(0, f.deadLetters.readRecordsToList().size());
            assertEquals(ahead, f.predictions.readRecordsToList().get(0).timestamp());
        }
    }

    private static void assertOneAheadLetter(TopologyFixture f, long now) {
        List<TestRecord<byte[], byte[]>> dead = f.deadLetters.readRecordsToList();
        assertEquals(1, dead.size(), "one dead letter");
        assertEquals(DeadLetterReason.EVENT_TIME_AHEAD, DeadLetters.reason(dead.get(0).headers()));
        long stamp = dead.get(0).timestamp();
        assertTrue(stamp <= now + Duration.ofMinutes(10).toMillis(),
                "the dead letter's timestamp " + stamp + " is within rnn.time.max-ahead of " + now);
    }
}
