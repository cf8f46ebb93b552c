package io.rnnstreams.stream.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.config.RegistryEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RegistryHttp}'s threads (branch rev20's review): every registry client of the process runs on one Vert.x
 * instance of daemon threads, so that serdes made and closed one after another (a test per fixture, a topology per
 * build) add no thread, and none keeps the JVM alive.
 */
class RegistryHttpTest {
    @Test
    void registryClientsShareOneVertxOfDaemonThreads() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        RegistryEndpoint endpoint = RegistryEndpoint.parse("http://127.0.0.1:" + port);
        byte[] frame = {0, 0, 0, 0, 1, 2, 4};
        // a request each (connection refused: at once), so that Vert.x's threads are started
        try (RegistrySerde<SensorReading> serde = RegistrySerde.of(SensorReading.class, endpoint)) {
            assertThrows(RegistryUnavailableException.class, () -> serde.decode("sensors", frame));
        }
        List<Thread> first = vertxThreads();
        for (int i = 0; i < 10; i++) {
            try (RegistrySerde<SensorReading> serde = RegistrySerde.of(SensorReading.class, endpoint)) {
                assertThrows(RegistryUnavailableException.class, () -> serde.decode("sensors", frame));
            }
        }
        List<Thread> after = vertxThreads();

        assertTrue(!first.isEmpty(), "a request ran on Vert.x's threads");
        assertEquals(first.size(), after.size(), "10 more serdes, no more threads: " + after);
        for (Thread t : after) {
            assertTrue(t.isDaemon(), t.getName() + " must not keep the JVM alive");
        }
    }

    private static List<Thread> vertxThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("vert.x-")).toList();
    }
}
