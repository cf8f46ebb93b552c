package io.rnnstreams.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.rnnstreams.stream.Instance;
import io.rnnstreams.stream.QueryUnavailableException;
import io.rnnstreams.stream.SensorQueries;
import io.rnnstreams.stream.SensorSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's routes, all read-only GETs answering JSON (but {@code /metrics}):
 * <ul>
 *   <li>{@code /sensors/{id}}: the key's {@link SensorSummary};</li>
 *   <li>{@code /sensors/{id}/forecast?steps=N}: the N-step forecast from the key's current state
 *       (1 &lt;= N &lt;= the configured maximum; default 1);</li>
 *   <li>{@code /sensors?limit=L&after=K}: up to L keys (default 100, at most 1000) after K, in the stores'
 *       order, gathered from every instance; {@code next} is the {@code after} of the next page, or null;</li>
 *   <li>{@code /health}: 200 when Kafka Streams is RUNNING, 503 otherwise, with the state;</li>
 *   <li>{@code /metrics}: Prometheus text exposition;</li>
 *   <li>{@code /live/}: the live page ({@link LivePage}), HTML and its files.</li>
 * </ul>
 * A key held by another instance is answered by it (the request is forwarded, marked with
 * {@value #FORWARDED_BY} so that it is never forwarded twice). Every sensor response names the instance that
 * read its stores in {@value #SERVED_BY}. Errors are JSON ({@code status}, {@code error}, {@code message}):
 * 400 malformed id or parameter, 404 unknown key or path, 405 not a GET, 503 with {@code Retry-After} while
 * the key's owner is unknown or changing (rebalance, restoration), 500 for a bug (logged, no stack trace in
 * the response).
 */
final class ApiHandler implements HttpHandler {
    static final String SERVED_BY = "X-Rnn-Served-By";
    static final String FORWARDED_BY = "X-Rnn-Forwarded-By";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final int MAX_ID_LENGTH = SensorQueries.MAX_QUERYABLE_KEY_LENGTH;
    static final String RETRY_AFTER_SECONDS = "2";
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final SensorQueries queries;
    private final Supplier<String> metrics;
    private final int maxForecastSteps;
    private final Forwarder forwarder = new Forwarder();
    private final LivePage livePage = new LivePage();

    /**
     * @param metrics the Prometheus exposition text, produced on every scrape
     */
    ApiHandler(SensorQueries queries, Supplier<String> metrics, int maxForecastSteps) {
        this.queries = queries;
        this.metrics = metrics;
        this.maxForecastSteps = maxForecastSteps;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        ApiResponse response;
        try {
            response = route(exchange);
        } catch (QueryUnavailableException e) {
            response = unavailable(e.getMessage());
        } catch (BadRequest e) {
            response = ApiResponse.error(400, "bad_request", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response = unavailable("interrupted");
        } catch (RuntimeException e) {
            log.error("HTTP {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            response = ApiResponse.error(500, "internal", "internal error; the server log has the details");
        }
        send(exchange, response);
    }

    private ApiResponse route(HttpExchange exchange) throws IOException, InterruptedException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            return ApiResponse.error(405, "method_not_allowed", "only GET is supported, got "
                    + exchange.getRequestMethod()).withHeader("Allow", "GET");
        }
        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        boolean forwarded = exchange.getRequestHeaders().getFirst(FORWARDED_BY) != null;
        String[] parts = rawPath == null || !rawPath.startsWith("/") ? new String[0] : rawPath.substring(1).split("/", -1);
        if (parts.length == 1 && parts[0].equals("health")) {
            return health();
        }
        if (parts.length == 1 && parts[0].equals("metrics")) {
            return new ApiResponse(200, ApiResponse.PROMETHEUS_TEXT, metrics.get().getBytes(StandardCharsets.UTF_8),
                    Map.of());
        }
        if ((parts.length == 1 || parts.length == 2) && parts[0].equals("live")) {
            return parts.length == 1 ? LivePage.redirectToIndex() : livePage.file(parts[1])
                    .orElseGet(() -> ApiResponse.error(404, "not_found", "no such file of the live page: " + rawPath));
        }
        if (parts.length >= 1 && parts[0].equals("sensors")) {
            Map<String, String> params = query(rawQuery);
            if (parts.length == 1) {
                return list(params, forwarded);
            }
            String id = sensorId(parts[1]);
            String pathAndQuery = rawPath + (rawQuery == null ? "" : "?" + rawQuery);
            if (parts.length == 2) {
                return sensor(id, pathAndQuery, forwarded, this::summary);
            }
            if (parts.length == 3 && parts[2].equals("forecast")) {
                int steps = intParam(params, "steps", 1, 1, maxForecastSteps);
                return sensor(id, pathAndQuery, forwarded, key -> forecast(key, steps));
            }
        }
        return ApiResponse.error(404, "not_found", "no such path: " + rawPath
                + " (paths: /sensors, /sensors/{id}, /sensors/{id}/forecast?steps=N, /health, /metrics, /live/)");
    }

    private interface LocalAnswer {
        ApiResponse answer(String key);
    }

    /** Answers from here if the key is held here, else from its owner. */
    private ApiResponse sensor(String id, String pathAndQuery, boolean forwarded, LocalAnswer local)
            throws InterruptedException {
        SensorQueries.Location location = queries.locate(id);
        if (location instanceof SensorQueries.Unavailable u) {
            return unavailable(u.reason());
        }
        if (location instanceof SensorQueries.Remote r) {
            if (forwarded) {
                return unavailable("this instance no longer holds the key; its owner is changing (rebalance)");
            }
            try {
                return forwarder.forward(r.instance(), pathAndQuery, queries.self());
            } catch (IOException e) {
                return unavailable("the instance holding the key, " + r.instance() + ", did not answer: " + reason(e));
            }
        }
        return local.answer(id).withHeader(SERVED_BY, queries.self().toString());
    }

    private ApiResponse summary(String id) {
        Optional<SensorSummary> found = queries.summary(id);
        if (found.isEmpty()) {
            return unknownKey(id);
        }
        SensorSummary s = found.get();
        Map<String, Object> prequential = new LinkedHashMap<>();
        prequential.put("scoredReadings", s.scoredReadings());
        prequential.put("meanAbsoluteError", s.meanAbsoluteError());
        prequential.put("rootMeanSquaredError", s.rootMeanSquaredError());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("scope", s.scope().name().toLowerCase(java.util.Locale.ROOT));
        model.put("stored", s.modelStored());
        model.put("updates", s.modelUpdates());
        model.put("optimizerSteps", s.optimizerSteps());
        model.put("restores", s.restores());
        model.put("readingsSinceTraining", s.readingsSinceTraining());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sensor", s.key());
        body.put("servedBy", queries.self().toString());
        body.put("readings", s.readings());
        body.put("lastReadingTime", s.lastEventTime().toString());
        body.put("lastReadingTimeMillis", s.lastEventTime().toEpochMilli());
        body.put("anomalyScore", s.anomalyScore());
        body.put("alarmActive", s.alarmActive());
        body.put("lastReading", s.lastReading());
        body.put("lastForecast", s.lastForecast());
        // the next step's time and interval, under the Prediction's names and shapes (one step)
        body.put("forecastTimes", s.forecastTimes());
        body.put("intervalLevel", s.intervalLevel());
        body.put("intervalLower", s.intervalLower());
        body.put("intervalUpper", s.intervalUpper());
        body.put("hiddenStateNorm", s.hiddenStateNorm());
        body.put("prequentialError", prequential);
        body.put("model", model);
        return ApiResponse.json(200, body);
    }

    private ApiResponse forecast(String id, int steps) {
        Optional<double[][]> found;
        try {
            found = queries.forecast(id, steps);
        } catch (IllegalArgumentException e) {
            // steps the key's learner cannot forecast (the hybrid forecasts one step)
            throw new BadRequest(e.getMessage());
        }
        if (found.isEmpty()) {
            return unknownKey(id);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sensor", id);
        body.put("servedBy", queries.self().toString());
        body.put("steps", steps);
        body.put("forecast", found.get());
        return ApiResponse.json(200, body);
    }

    /** Local keys only when forwarded; otherwise this instance's and every other instance's, merged. */
    private ApiResponse list(Map<String, String> params, boolean forwarded) throws InterruptedException {
        int limit = intParam(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        String after = params.containsKey("after") ? sensorIdText(params.get("after")) : null;
        List<String> local = queries.localKeys(after, limit);
        TreeSet<String> merged = new TreeSet<>(SensorQueries::compareKeys);
        merged.addAll(local);
        boolean fullPage = local.size() == limit;
        List<String> instances = new ArrayList<>();
        instances.add(queries.self().toString());
        if (!forwarded) {
            for (Instance other : queries.otherInstances()) {
                String pathAndQuery = "/sensors?limit=" + limit
                        + (after == null ? "" : "&after=" + URLEncoderUtf8.encode(after));
                ApiResponse page;
                try {
                    page = forwarder.forward(other, pathAndQuery, queries.self());
                } catch (IOException e) {
                    return unavailable("instance " + other + " did not answer: " + reason(e));
                }
                if (page.status() != 200) {
                    return unavailable("instance " + other + " answered " + page.status() + ": "
                            + new String(page.body(), StandardCharsets.UTF_8));
                }
                List<String> keys = sensorsOf(page.body());
                merged.addAll(keys);
                fullPage |= keys.size() == limit;
                instances.add(other.toString());
            }
        }
        List<String> sensors = new ArrayList<>(Math.min(limit, merged.size()));
        for (String k : merged) {
            if (sensors.size() == limit) {
                break;
            }
            sensors.add(k);
        }
        boolean more = merged.size() > limit || fullPage;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sensors", sensors);
        body.put("next", more && !sensors.isEmpty() ? sensors.get(sensors.size() - 1) : null);
        body.put("instances", instances);
        return ApiResponse.json(200, body).withHeader(SERVED_BY, queries.self().toString());
    }

    private ApiResponse health() {
        boolean running = queries.running();
        List<Integer> partitions;
        try {
            partitions = queries.localPartitions();
        } catch (QueryUnavailableException e) {
            partitions = List.of();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", running ? "UP" : "DOWN");
        body.put("state", queries.state());
        body.put("instance", queries.self().toString());
        body.put("activePartitions", partitions.stream().map(p -> (Object) p).toList());
        ApiResponse response = ApiResponse.json(running ? 200 : 503, body);
        return running ? response : response.withHeader("Retry-After", RETRY_AFTER_SECONDS);
    }

    private static String reason(IOException e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? "no connection" : e.getMessage();
    }

    private static ApiResponse unknownKey(String id) {
        return ApiResponse.error(404, "unknown_sensor", "no state for sensor '" + id + "'");
    }

    private static ApiResponse unavailable(String reason) {
        return ApiResponse.error(503, "unavailable", "cannot answer now, retry shortly: " + reason)
                .withHeader("Retry-After", RETRY_AFTER_SECONDS);
    }

    /** The keys of a {@code /sensors} page. */
    private static List<String> sensorsOf(byte[] body) {
        List<String> keys = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (field.equals("sensors") && t == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        keys.add(p.getText());
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new QueryUnavailableException("another instance sent an unreadable key page: " + e.getMessage(), e);
        }
        return keys;
    }

    /** A path segment, percent-decoded as UTF-8, checked as a sensor id. */
    static String sensorId(String rawSegment) {
        byte[] bytes = new byte[rawSegment.length()];
        int n = 0;
        for (int i = 0; i < rawSegment.length(); i++) {
            char c = rawSegment.charAt(i);
            if (c == '%') {
                if (i + 2 >= rawSegment.length() || Character.digit(rawSegment.charAt(i + 1), 16) < 0
                        || Character.digit(rawSegment.charAt(i + 2), 16) < 0) {
                    throw new BadRequest("malformed sensor id: bad percent-encoding in '" + rawSegment + "'");
                }
                bytes[n++] = (byte) Integer.parseInt(rawSegment.substring(i + 1, i + 3), 16);
                i += 2;
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                throw new BadRequest("malformed sensor id: non-ASCII character in the raw path");
            }
        }
        String id;
        try {
            id = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new BadRequest("malformed sensor id: not UTF-8");
        }
        return sensorIdText(id);
    }

    private static String sensorIdText(String id) {
        if (id.isEmpty()) {
            throw new BadRequest("malformed sensor id: empty");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw new BadRequest("malformed sensor id: longer than " + MAX_ID_LENGTH + " characters");
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                throw new BadRequest("malformed sensor id: control character at " + i);
            }
        }
        return id;
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(name, value);
            } catch (IllegalArgumentException e) {
                throw new BadRequest("malformed query string: " + e.getMessage());
            }
        }
        return params;
    }

    private static int intParam(Map<String, String> params, String name, int dflt, int min, int max) {
        String text = params.get(name);
        if (text == null) {
            return dflt;
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be an integer in [" + min + ", " + max + "], got '" + text + "'");
        }
        if (value < min || value > max) {
            throw new BadRequest(name + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    private static void send(HttpExchange exchange, ApiResponse response) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        }
    }

    /** A client mistake: 400 with the message. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    /** Percent-encodes a query value as UTF-8 (spaces as %20). */
    static final class URLEncoderUtf8 {
        private URLEncoderUtf8() {
        }

        static String encode(String s) {
            return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }
}
