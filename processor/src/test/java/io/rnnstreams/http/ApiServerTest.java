package io.rnnstreams.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.ConfigException;
import io.rnnstreams.stream.Instance;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The API over real HTTP on ephemeral loopback ports, with in-memory {@link FakeQueries}: routes, JSON bodies,
 * error statuses, forwarding between two servers and its loop protection.
 */
class ApiServerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<ApiServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(ApiServer::close);
    }

    private record Served(ApiServer server, FakeQueries queries) {
        String url(String pathAndQuery) {
            return "http://127.0.0.1:" + server.port() + pathAndQuery;
        }
    }

    private Served serve(String metricsText) throws IOException {
        ApiServer server = ApiServer.bind(new HttpSettings(true, "127.0.0.1", 0, 100));
        servers.add(server);
        FakeQueries queries = new FakeQueries(new Instance("127.0.0.1", server.port()));
        server.start(queries, () -> metricsText);
        return new Served(server, queries);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET written by hand on a socket, for request lines that java.net.URI refuses; status and body only. */
    private static HttpResponse<String> rawGet(Served s, String rawPath) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", s.server().port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String all = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int status = Integer.parseInt(all.substring(9, 12));
            String body = all.substring(all.indexOf("\r\n\r\n") + 4);
            return new RawResponse(status, body);
        }
    }

    private record RawResponse(int statusCode, String body) implements HttpResponse<String> {
        public HttpRequest request() {
            return null;
        }

        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        public java.net.http.HttpHeaders headers() {
            return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true);
        }

        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        public URI uri() {
            return null;
        }

        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        return MAPPER.readTree(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String code) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals(status, body.get("status").asInt());
        assertEquals(code, body.get("error").asText());
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), "no stack trace: " + r.body());
    }

    @Test
    void offByDefaultOnLoopback() throws Exception {
        HttpSettings defaults = HttpSettings.of(AppConfig.defaults());
        assertFalse(defaults.enabled());
        assertEquals("127.0.0.1", defaults.bind());
        assertEquals(8080, defaults.port());
        ApiServer server = ApiServer.bind(new HttpSettings(true, defaults.bind(), 0, 100));
        servers.add(server);
        assertTrue(server.address().getAddress().isLoopbackAddress(), server.address().toString());
        assertTrue(server.port() > 0);
        // a wildcard address without application.server is refused at start, naming both settings
        ConfigException e = assertThrows(ConfigException.class,
                () -> AppConfig.of(Map.of("rnn.http.enabled", "true", "rnn.http.bind", "0.0.0.0")));
        assertTrue(e.getMessage().contains("rnn.http.bind") && e.getMessage().contains("application.server"),
                e.getMessage());
        assertThrows(ConfigException.class,
                () -> AppConfig.of(Map.of("rnn.http.enabled", "true", "rnn.http.bind", "::")));
        AppConfig ok = AppConfig.of(Map.of("rnn.http.enabled", "true", "rnn.http.bind", "0.0.0.0",
                "application.server", "host-1:8080"));
        assertTrue(HttpSettings.of(ok).enabled());
    }

    @Test
    void summaryOfALocalKey() throws Exception {
        Served a = serve("");
        a.queries().local.put("sensor/1 ü", FakeQueries.summary("sensor/1 ü", 42));
        HttpResponse<String> r = get(a.url("/sensors/sensor%2F1%20%C3%BC"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(a.queries().self.toString(), r.headers().firstValue("X-Rnn-Served-By").orElse(""));
        JsonNode body = json(r);
        assertEquals("sensor/1 ü", body.get("sensor").asText());
        assertEquals(42, body.get("readings").asLong());
        assertEquals("2023-11-14T22:13:20.042Z", body.get("lastReadingTime").asText());
        assertEquals(1_700_000_000_042L, body.get("lastReadingTimeMillis").asLong());
        assertEquals(41, body.at("/prequentialError/scoredReadings").asLong());
        assertEquals(0.25, body.at("/prequentialError/meanAbsoluteError/0").asDouble());
        assertTrue(body.at("/prequentialError/rootMeanSquaredError/0").isNull(), "NaN is written as null");
        assertEquals(0.5, body.get("anomalyScore").asDouble());
        assertTrue(body.get("alarmActive").asBoolean());
        assertEquals(2.5, body.at("/lastReading/0").asDouble());
        assertEquals(1.5, body.at("/lastForecast/0").asDouble());
        assertEquals(0.75, body.get("hiddenStateNorm").asDouble());
        assertEquals("key", body.at("/model/scope").asText());
        assertEquals(7, body.at("/model/updates").asLong());
        assertEquals(1, body.at("/model/restores").asLong());
        assertEquals(3, body.at("/model/readingsSinceTraining").asInt());
    }

    @Test
    void forecastIsTheRolloutWithItsStepsValidated() throws Exception {
        Served a = serve("");
        a.queries().local.put("s", FakeQueries.summary("s", 10));
        HttpResponse<String> r = get(a.url("/sensors/s/forecast?steps=4"));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode f = json(r).get("forecast");
        double[][] want = FakeQueries.forecastOf(a.queries().local.get("s"), 4);
        assertEquals(4, f.size());
        for (int k = 0; k < 4; k++) {
            for (int c = 0; c < 2; c++) {
                if (Double.isNaN(want[k][c])) {
                    assertTrue(f.get(k).get(c).isNull());
                } else {
                    assertEquals(Double.doubleToLongBits(want[k][c]), Double.doubleToLongBits(f.get(k).get(c).asDouble()));
                }
            }
        }
        assertEquals(1, json(get(a.url("/sensors/s/forecast"))).get("forecast").size(), "steps defaults to 1");
        assertEquals(100, json(get(a.url("/sensors/s/forecast?steps=100"))).get("forecast").size());
        assertError(get(a.url("/sensors/s/forecast?steps=0")), 400, "bad_request");
        assertError(get(a.url("/sensors/s/forecast?steps=101")), 400, "bad_request");
        assertError(get(a.url("/sensors/s/forecast?steps=two")), 400, "bad_request");
        assertError(get(a.url("/sensors/nope/forecast?steps=2")), 404, "unknown_sensor");

        // a key whose learner forecasts one step (rnn.learner=hybrid): its step, or 400 with the reason
        a.queries().local.put("h", FakeQueries.summary("h", 5));
        a.queries().oneStep.add("h");
        assertEquals(1, json(get(a.url("/sensors/h/forecast"))).get("forecast").size());
        HttpResponse<String> more = get(a.url("/sensors/h/forecast?steps=3"));
        assertError(more, 400, "bad_request");
        assertTrue(more.body().contains("steps must be 1, got 3"), more.body());
    }

    @Test
    void clientErrorsAreJson() throws Exception {
        Served a = serve("");
        a.queries().local.put("s", FakeQueries.summary("s", 10));
        assertError(get(a.url("/sensors/unknown")), 404, "unknown_sensor");
        // java.net.URI refuses to send a bad escape, and the JDK's server refuses it before any handler runs
        // (400, its own body): still a 400, never a 500
        HttpResponse<String> badEscape = rawGet(a, "/sensors/%ZZ");
        assertEquals(400, badEscape.statusCode(), badEscape.body());
        assertError(get(a.url("/sensors/%C3%28")), 400, "bad_request"); // not UTF-8
        assertError(get(a.url("/sensors/a%00b")), 400, "bad_request"); // control character
        assertError(get(a.url("/sensors/")), 400, "bad_request"); // empty id
        assertError(get(a.url("/sensors/s/history")), 404, "not_found");
        assertError(get(a.url("/sensors/s/forecast/x")), 404, "not_found");
        assertError(get(a.url("/nothing")), 404, "not_found");
        assertError(get(a.url("/")), 404, "not_found");
        assertError(get(a.url("/sensors?limit=0")), 400, "bad_request");
        assertError(get(a.url("/sensors?limit=1001")), 400, "bad_request");
        HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(URI.create(a.url("/sensors/s")))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertError(post, 405, "method_not_allowed");
        assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
        HttpResponse<String> delete = CLIENT.send(HttpRequest.newBuilder(URI.create(a.url("/sensors/s"))).DELETE()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertError(delete, 405, "method_not_allowed");
        // a bug in the stream layer: 500, JSON, no stack trace
        a.queries().failure = new IllegalStateException("boom");
        assertError(get(a.url("/sensors/s")), 500, "internal");
    }

    @Test
    void aKeyHeldByAnotherInstanceIsAnsweredByIt() throws Exception {
        Served a = serve("");
        Served b = serve("");
        b.queries().local.put("k", FakeQueries.summary("k", 5));
        a.queries().remote.put("k", b.queries().self);
        HttpResponse<String> viaA = get(a.url("/sensors/k"));
        assertEquals(200, viaA.statusCode(), viaA.body());
        assertEquals(b.queries().self.toString(), viaA.headers().firstValue("X-Rnn-Served-By").orElse(""));
        assertEquals(5, json(viaA).get("readings").asLong());
        assertEquals(get(b.url("/sensors/k")).body(), viaA.body(), "the owner's answer, relayed unchanged");
        HttpResponse<String> forecast = get(a.url("/sensors/k/forecast?steps=3"));
        assertEquals(200, forecast.statusCode(), forecast.body());
        assertEquals(b.queries().self.toString(), forecast.headers().firstValue("X-Rnn-Served-By").orElse(""));
        assertEquals(3, json(forecast).get("forecast").size());
        // the owner's 404 and 400 come back as they are
        a.queries().remote.put("gone", b.queries().self);
        assertError(get(a.url("/sensors/gone")), 404, "unknown_sensor");
        assertError(get(a.url("/sensors/k/forecast?steps=1000")), 400, "bad_request");

        // each thinks the other holds it (metadata in flux): forwarded once, then 503, never a loop
        b.queries().remote.put("flux", a.queries().self);
        a.queries().remote.put("flux", b.queries().self);
        HttpResponse<String> flux = get(a.url("/sensors/flux"));
        assertError(flux, 503, "unavailable");
        assertEquals("2", flux.headers().firstValue("Retry-After").orElse(""));

        // the owner is down: 503, not a failure
        Instance down = b.queries().self;
        servers.remove(b.server());
        b.server().close();
        a.queries().remote.put("k", down);
        HttpResponse<String> unreachable = get(a.url("/sensors/k"));
        assertError(unreachable, 503, "unavailable");
    }

    @Test
    void duringARebalanceTheAnswerIs503WithRetryAfter() throws Exception {
        Served a = serve("");
        a.queries().local.put("s", FakeQueries.summary("s", 10));
        a.queries().unavailable = true;
        a.queries().state = "REBALANCING";
        for (String path : List.of("/sensors/s", "/sensors/s/forecast?steps=2")) {
            HttpResponse<String> r = get(a.url(path));
            assertError(r, 503, "unavailable");
            assertEquals("2", r.headers().firstValue("Retry-After").orElse(""));
        }
        HttpResponse<String> health = get(a.url("/health"));
        assertEquals(503, health.statusCode());
        assertEquals("REBALANCING", json(health).get("state").asText());
        assertEquals("DOWN", json(health).get("status").asText());
    }

    @Test
    void healthAndMetrics() throws Exception {
        Served a = serve("# TYPE x counter\nx_total 3.0\n");
        HttpResponse<String> health = get(a.url("/health"));
        assertEquals(200, health.statusCode());
        JsonNode h = json(health);
        assertEquals("RUNNING", h.get("state").asText());
        assertEquals("[0,2]", h.get("activePartitions").toString());
        a.queries().state = "PENDING_SHUTDOWN";
        assertEquals(503, get(a.url("/health")).statusCode());
        HttpResponse<String> metrics = get(a.url("/metrics"));
        assertEquals(200, metrics.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.headers().firstValue("Content-Type").orElse(""));
        assertEquals("# TYPE x counter\nx_total 3.0\n", metrics.body());
    }

    /** The live page's files from the jar's resources, with their types and the policy; nothing else under it. */
    @Test
    void theLivePageIsServedFromItsFixedFiles() throws Exception {
        Served a = serve("");
        HttpResponse<String> index = get(a.url("/live/"));
        assertEquals(200, index.statusCode());
        assertEquals("text/html; charset=utf-8", index.headers().firstValue("Content-Type").orElse(""));
        assertEquals(LivePage.CONTENT_SECURITY_POLICY, index.headers().firstValue("Content-Security-Policy").orElse(""));
        assertEquals("nosniff", index.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertTrue(index.body().contains("<script src=\"live.js\" defer></script>"), index.body());
        assertEquals(index.body(), get(a.url("/live/index.html")).body());
        HttpResponse<String> redirect = get(a.url("/live"));
        assertEquals(308, redirect.statusCode());
        assertEquals("/live/", redirect.headers().firstValue("Location").orElse(""));
        HttpResponse<String> chart = get(a.url("/live/uPlot.iife.min.js"));
        assertEquals(200, chart.statusCode());
        assertEquals("text/javascript; charset=utf-8", chart.headers().firstValue("Content-Type").orElse(""));
        assertTrue(chart.body().startsWith("/*! https://github.com/leeoniya/uPlot (v1.6.32) */"));
        assertTrue(get(a.url("/live/uPlot.LICENSE")).body().contains("Copyright (c) 2022 Leon Sorokin"));
        assertEquals("text/css; charset=utf-8", get(a.url("/live/live.css")).headers().firstValue("Content-Type").orElse(""));
        assertError(get(a.url("/live/nope.js")), 404, "not_found");
        HttpResponse<String> escaped = rawGet(a, "/live/..%2Fmetrics");
        assertEquals(404, escaped.statusCode());
        assertTrue(escaped.body().contains("\"not_found\""), escaped.body());
        assertError(get(a.url("/live/x/live.js")), 404, "not_found");
    }

    @Test
    void keysArePagedAcrossInstances() throws Exception {
        Served a = serve("");
        Served b = serve("");
        for (String k : List.of("a", "c", "e")) {
            a.queries().local.put(k, FakeQueries.summary(k, 1));
        }
        for (String k : List.of("b", "d")) {
            b.queries().local.put(k, FakeQueries.summary(k, 1));
        }
        a.queries().others.add(b.queries().self);
        b.queries().others.add(a.queries().self);
        for (Served from : List.of(a, b)) {
            JsonNode p1 = json(get(from.url("/sensors?limit=2")));
            assertEquals("[\"a\",\"b\"]", p1.get("sensors").toString());
            assertEquals("b", p1.get("next").asText());
            JsonNode p2 = json(get(from.url("/sensors?limit=2&after=b")));
            assertEquals("[\"c\",\"d\"]", p2.get("sensors").toString());
            JsonNode p3 = json(get(from.url("/sensors?limit=2&after=" + p2.get("next").asText())));
            assertEquals("[\"e\"]", p3.get("sensors").toString());
            assertTrue(p3.get("next").isNull());
            assertEquals("[\"a\",\"b\",\"c\",\"d\",\"e\"]", json(get(from.url("/sensors"))).get("sensors").toString());
            assertEquals(2, p1.get("instances").size());
        }
    }
    /**
     * Slow-loris (issue 12 item 11): many connections that send a request line and nothing more must not
     * starve the API; {@code /health} still answers at once, and the idle half-requests are closed after the
     * request read timeout.
     */
    @Test
    void healthAnswersWhileManyConnectionsHoldHalfARequest() throws Exception {
        Served a = serve("");
        List<java.net.Socket> loris = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                java.net.Socket socket = new java.net.Socket("127.0.0.1", a.server().port());
                socket.getOutputStream().write("GET /health HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                loris.add(socket);
            }
            Thread.sleep(300);
            long start = System.nanoTime();
            HttpResponse<String> health = CLIENT.send(HttpRequest.newBuilder(URI.create(a.url("/health")))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertTrue(System.nanoTime() - start < 3_000_000_000L);
            // the held half-requests are dropped by the server after its request read timeout
            java.net.Socket first = loris.get(0);
            first.setSoTimeout((int) (ApiServer.REQUEST_READ_TIMEOUT.toMillis() + 5_000));
            assertEquals(-1, first.getInputStream().read(), "the server closes a request that never completes");
        } finally {
            for (java.net.Socket socket : loris) {
                socket.close();
            }
        }
    }
}
