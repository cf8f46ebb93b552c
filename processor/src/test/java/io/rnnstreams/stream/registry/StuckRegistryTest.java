package io.rnnstreams.stream.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.config.RegistryEndpoint;
import io.rnnstreams.stream.RegistryReadingDeserializer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A registry that accepts connections and never answers ({@link SilentServer}): every registry call of
 * {@link RegistrySerde} fails within the endpoint's timeout with {@link RegistryUnavailableException} naming the
 * registry, instead of waiting for ever (what Apicurio's own client did: no time-out anywhere), and the record is
 * never taken for a bad one.
 */
class StuckRegistryTest {
    private static final Duration TIMEOUT = Duration.ofMillis(600);
    /** Far above the timeout, far below "for ever": what the old client could not meet. */
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final SensorReading READING = SensorReading.newBuilder()
            .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L)).setValues(List.of(1.5)).setTags(Map.of()).build();

    private final SilentServer silent = new SilentServer();

    @AfterEach
    void stop() {
        silent.close();
    }

    @Test
    void readingFailsWithinTheTimeoutAsAnOutageNamingTheRegistry() {
        RegistryEndpoint endpoint = endpoint();
        byte[] frame = {0, 0, 0, 0, 1, 2, 4};
        try (RegistrySerde<SensorReading> serde = RegistrySerde.of(SensorReading.class, endpoint)) {
            long t0 = System.nanoTime();
            RegistryUnavailableException e = assertTimeoutPreemptively(BOUND,
                    () -> assertThrows(RegistryUnavailableException.class, () -> serde.decode("sensors", frame)),
                    "a registry that never answers must not block the reader for ever");
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertTrue(e.getMessage().startsWith("could not fetch schema id 1 from the schema registry at "
                    + endpoint.v3Url() + ": no answer within rnn.registry.timeout (600 ms): "), e.getMessage());
            assertTrue(took.compareTo(TIMEOUT) >= 0, "it waited for the timeout first: " + took);
            assertTrue(took.compareTo(TIMEOUT.multipliedBy(8)) < 0, "one timeout, no retries: " + took);
            assertTrue(silent.bytesReceived() > 0, "the request reached the silent server");
            assertEquals(1, silent.connections(), "no retry: one connection");
            // through the topology's deserializer too: an outage, never a RawReading with a reason (a dead letter)
            assertThrows(RegistryUnavailableException.class, () -> assertTimeoutPreemptively(BOUND,
                    () -> new RegistryReadingDeserializer(serde).deserialize("sensors", frame)));
        }
    }

    @Test
    void writingFailsWithinTheTimeoutAsAnOutageNamingTheRegistry() {
        RegistryEndpoint endpoint = endpoint();
        try (RegistrySerde<SensorReading> serde = RegistrySerde.of(SensorReading.class, endpoint)) {
            RegistryUnavailableException e = assertTimeoutPreemptively(BOUND,
                    () -> assertThrows(RegistryUnavailableException.class, () -> serde.encode("sensors", READING)),
                    "a registry that never answers must not block the writer for ever");

            assertTrue(e.getMessage().startsWith("could not register or find the " + SensorReading.class.getName()
                    + " schema for topic sensors in the schema registry at " + endpoint.v3Url()
                    + ": no answer within rnn.registry.timeout (600 ms): "), e.getMessage());
        }
    }

    @Test
    void aRegistryThatIsNotListeningFailsAtOnce() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        RegistryEndpoint endpoint = RegistryEndpoint.parse("http://127.0.0.1:" + port).withTimeout(BOUND);
        try (RegistrySerde<SensorReading> serde = RegistrySerde.of(SensorReading.class, endpoint)) {
            long t0 = System.nanoTime();
            RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class,
                    () -> assertTimeoutPreemptively(BOUND, () -> serde.decode("sensors", new byte[] {0, 0, 0, 0, 1})));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "connection refused needs no timeout: " + took);
            assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
        }
    }

    private RegistryEndpoint endpoint() {
        return RegistryEndpoint.parse(silent.url()).withTimeout(TIMEOUT);
    }
}
