package io.rnnstreams.stream.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.UndecodableRecordException;
import io.rnnstreams.config.RegistryEndpoint;
import io.rnnstreams.stream.RegistryReadingDeserializer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A registry behind a proxy that answers for it while it is away: an HTTP error with the proxy's own page (HTML, not
 * the registry's JSON problem details), as nginx or a load balancer does with 502 / 503 / 504 while the registry
 * restarts, or 404 when no route leads to it. That is an outage ({@link RegistryUnavailableException}: the stream
 * stops and is restarted from its last commit), never a reading dead-lettered as malformed or as of an unknown schema
 * (branch rev20's review of reg19).
 */
class RegistryErrorPageTest {
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private RegistryEndpoint proxyAnswering(int status) throws IOException {
        return answering(status, "text/html", "<html><body><h1>" + status + "</h1>nginx</body></html>");
    }

    private RegistryEndpoint answering(int status, String contentType, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] page = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        server.start();
        return RegistryEndpoint.parse("http://127.0.0.1:" + server.getAddress().getPort())
                .withTimeout(Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @CsvSource({"502", "503", "504", "500", "404"})
    void anErrorPageOfAProxyIsAnOutageNotADeadLetter(int status) throws IOException {
        byte[] frame = {0, 0, 0, 0, 1, 2, 4};
        try (RegistrySerde<SensorReading> serde = RegistrySerde.of(SensorReading.class, proxyAnswering(status))) {
            RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class,
                    () -> serde.decode("sensors", frame), () -> "HTTP " + status + " with an HTML page: "
                            + describe(() -> serde.decode("sensors", frame)));
            assertTrue(e.getMessage().startsWith("could not fetch schema id 1 from the schema registry at "),
                    e.getMessage());
            assertThrows(RegistryUnavailableException.class,
                    () -> new RegistryReadingDeserializer(serde).deserialize("sensors", frame));
        }
    }

    /** What a call did instead of failing as an outage, for the failure message. */
    private static String describe(Runnable call) {
        try {
            call.run();
            return "no exception";
        } catch (UndecodableRecordException e) {
            return "a dead letter (" + e.reason() + "): " + e.getMessage();
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    /** The registry's own 404 (its JSON problem details, as Apicurio 3 answers an unknown id) is still a dead letter. */
    @org.junit.jupiter.api.Test
    void theRegistrysOwnNotFoundIsAnUnknownSchema() throws IOException {
        byte[] frame = {0, 0, 0, 0, 1, 2, 4};
        RegistryEndpoint endpoint = answering(404, "application/json", "{\"status\": 404, \"title\": \"No content "
                + "with id '1' was found.\", \"name\": \"ContentNotFoundException\"}");
        try (RegistrySerde<SensorReading> serde = RegistrySerde.of(SensorReading.class, endpoint)) {
            UndecodableRecordException e = assertThrows(UndecodableRecordException.class,
                    () -> serde.decode("sensors", frame));
            assertEquals(UndecodableRecordException.Reason.UNKNOWN_SCHEMA, e.reason());
        }
    }
}
