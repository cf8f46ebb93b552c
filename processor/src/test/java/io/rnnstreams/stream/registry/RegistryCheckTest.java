package io.rnnstreams.stream.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.rnnstreams.config.ConfigException;
import io.rnnstreams.config.RegistryEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RegistryCheck}, the start-up check of {@code rnn.registry.url}: it asks over HTTP/1.1 (no h2c upgrade)
 * and within {@code rnn.registry.timeout}; a registry that accepts the connection and never answers fails it after
 * one timeout with a message naming both settings.
 */
class RegistryCheckTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Far above the timeout, below the old fixed 15 s of the check. */
    private static final Duration BOUND = Duration.ofSeconds(12);
    /** For the tests that are not about time (a loaded machine took over 600 ms to start answering). */
    private static final Duration PATIENT = Duration.ofSeconds(30);

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private SilentServer silent;

    /**
     * One check against a real answer before the timed tests: the first registry call of a JVM loads Vert.x,
     * Netty, Kiota and Jackson (up to 20 s on a loaded machine), which is not what they measure.
     */
    @BeforeAll
    static void warmUp() throws IOException {
        RegistryCheckTest warm = new RegistryCheckTest();
        try {
            RegistryCheck.check(RegistryEndpoint.parse(warm.serve(200, "{\"version\":\"0\"}")).withTimeout(PATIENT));
        } finally {
            warm.stop();
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (silent != null) {
            silent.close();
        }
    }

    @Test
    void aRegistryThatNeverAnswersFailsTheCheckWithinTheTimeoutNamingTheSetting() {
        silent = new SilentServer();
        RegistryEndpoint endpoint = RegistryEndpoint.parse(silent.url()).withTimeout(TIMEOUT);
        long t0 = System.nanoTime();
        ConfigException e = assertTimeoutPreemptively(BOUND,
                () -> assertThrows(ConfigException.class, () -> RegistryCheck.check(endpoint)),
                "a registry that never answers must not hold the start for ever");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertTrue(e.getMessage().startsWith("invalid configuration: rnn.registry.url=" + silent.url() + ": no schema registry answers at "
                + silent.url() + "/apis/registry/v3/system/info within rnn.registry.timeout=1000ms "), e.getMessage());
        assertTrue(took.compareTo(TIMEOUT) >= 0, "it waited for the timeout first: " + took);
        assertTrue(took.compareTo(TIMEOUT.multipliedBy(8)) < 0, "one timeout, no retries: " + took);
        assertTrue(silent.bytesReceived() > 0, "the request reached the silent server");
        assertEquals(1, silent.connections(), "no retry: one connection");
    }

    @Test
    void anApicurioServerPassesAndIsAskedOverHttp11WithoutAnUpgrade() throws IOException {
        String url = serve(200, "{\"name\":\"Apicurio Registry (In Memory)\",\"description\":\"x\","
                + "\"version\":\"3.3.3\",\"builtOn\":\"2025-01-01T00:00:00Z\"}");
        RegistryEndpoint endpoint = RegistryEndpoint.parse(url).withTimeout(PATIENT);

        assertEquals("Apicurio Registry 3.3.3", RegistryCheck.check(endpoint));
        assertEquals(List.of("GET /apis/registry/v3/system/info HTTP/1.1 upgrade=null"), requests);
    }

    @Test
    void anotherServerFailsTheCheckWithItsStatus() throws IOException {
        String url = serve(404, "not here");
        ConfigException e = assertThrows(ConfigException.class,
                () -> RegistryCheck.check(RegistryEndpoint.parse(url).withTimeout(PATIENT)));

        assertEquals("invalid configuration: rnn.registry.url=" + url + ": GET " + url + "/apis/registry/v3/system/info answered HTTP 404; "
                + "expected an Apicurio Registry 3 server (its base URL, without /apis/...)", e.getMessage());
    }

    @Test
    void aRegistryThatIsNotListeningFailsAtOnceWithoutBlamingTheTimeout() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        RegistryEndpoint endpoint = RegistryEndpoint.parse("http://127.0.0.1:" + port)
                .withTimeout(RegistryEndpoint.MAX_TIMEOUT);
        long t0 = System.nanoTime();
        ConfigException e = assertThrows(ConfigException.class, () -> RegistryCheck.check(endpoint));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        // far below the timeout (2 min)
        assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "connection refused needs no timeout (2 min): " + took);
        assertTrue(e.getMessage().startsWith("invalid configuration: rnn.registry.url=http://127.0.0.1:" + port
                + ": no schema registry answers at http://127.0.0.1:" + port + "/apis/registry/v3/system/info ("),
                e.getMessage());
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
        assertFalse(e.getMessage().contains("rnn.registry.timeout"), e.getMessage());
    }

    /** A loopback HTTP server answering every request with {@code status} and {@code body}; records each request. */
    private String serve(int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + exchange.getProtocol()
                    + " upgrade=" + exchange.getRequestHeaders().getFirst("Upgrade"));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "text/plain");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
