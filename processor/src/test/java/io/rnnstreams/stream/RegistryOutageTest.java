package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.config.RegistryEndpoint;
import io.rnnstreams.config.ValueFormats;
import io.rnnstreams.config.WireFormat;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.stream.registry.RegistryUnavailableException;
import io.rnnstreams.stream.registry.SilentServer;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A schema registry that cannot be asked stops the stream thread; it never turns a record into a dead letter. */
class RegistryOutageTest {
    /** The registry's request timeout here, and the bound on the whole failing call. */
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path stateDir;

    @Test
    void theDeserializationHandlerFailsOnARegistryOutageInsteadOfDeadLetteringTheRecord() {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(Map.of(DeadLetterDeserializationHandler.TOPIC_CONFIG, "dlq"));
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("sensors", 0, 9L, "k".getBytes(),
                new byte[] {0, 0, 0, 0, 1, 2});
        Exception outage = new StreamsException(new RegistryUnavailableException("could not fetch schema id 1",
                new ConnectException("Connection refused")));

        var failed = handler.handleError(null, record, outage);
        var resumed = handler.handleError(null, record, new IllegalArgumentException("not UTF-8"));

        assertEquals(DeserializationExceptionHandler.Result.FAIL, failed.result());
        assertTrue(failed.deadLetterQueueRecords().isEmpty());
        assertEquals(DeserializationExceptionHandler.Result.RESUME, resumed.result());
        assertEquals(1, resumed.deadLetterQueueRecords().size());
    }

    @Test
    void aRegistryThatNeverAnswersOnTheInputFailsTheTopologyWithinTheTimeoutAndDeadLettersNothing() {
        try (SilentServer silent = new SilentServer(); TopologyFixture f = fixture(WireFormat.REGISTRY,
                WireFormat.SINGLE_OBJECT, silent)) {
            StreamsException e = assertTimeoutPreemptively(BOUND, () -> assertThrows(StreamsException.class,
                    () -> f.input.pipeInput(TopologyFixture.key("s1"), new byte[] {0, 0, 0, 0, 1, 2, 4})));

            assertOutage(e);
            assertTrue(f.deadLetters.isEmpty(), "no dead letter for an outage");
            assertTrue(f.predictions.isEmpty());
        }
    }

    @Test
    void aRegistryThatNeverAnswersOnTheOutputFailsTheTopologyWithinTheTimeoutAndEmitsNothing() {
        try (SilentServer silent = new SilentServer(); TopologyFixture f = fixture(WireFormat.SINGLE_OBJECT,
                WireFormat.REGISTRY, silent)) {
            StreamsException e = assertTimeoutPreemptively(BOUND, () -> assertThrows(StreamsException.class,
                    () -> f.input.pipeInput(TopologyFixture.key("s1"), TopologyFixture.encode(TopologyFixture.time(0),
                            TopologyFixture.reading(0, 0)))));

            assertOutage(e);
            assertTrue(f.deadLetters.isEmpty(), "no dead letter for an outage");
            assertTrue(f.predictions.isEmpty(), "nothing half-written");
        }
    }

    private TopologyFixture fixture(WireFormat input, WireFormat output, SilentServer silent) {
        RegistryEndpoint endpoint = RegistryEndpoint.parse(silent.url()).withTimeout(TIMEOUT);
        return new TopologyFixture(TopologyFixture.settings(ModelScope.KEY)
                .withFormats(new ValueFormats(input, output, endpoint)), stateDir);
    }

    private static void assertOutage(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof RegistryUnavailableException outage) {
                assertTrue(outage.getMessage().contains("no answer within rnn.registry.timeout (500 ms)"),
                        outage.getMessage());
                return;
            }
        }
        throw new AssertionError("not a registry outage", e);
    }
}
