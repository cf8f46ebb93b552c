package io.rnnstreams.http;

import io.rnnstreams.stream.Instance;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends a GET on to the instance that holds a key and relays its answer (status, body, content type and the
 * {@value ApiHandler#SERVED_BY} and {@code Retry-After} headers). The request carries
 * {@value ApiHandler#FORWARDED_BY}, so the receiver answers from its own stores and never forwards again.
 */
final class Forwarder {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * @param pathAndQuery the raw path and query of the original request, e.g. {@code /sensors/a%2Fb?steps=3}
     * @throws IOException if the instance cannot be reached or does not answer in time
     */
    ApiResponse forward(Instance target, String pathAndQuery, Instance self) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + target + pathAndQuery))
                .timeout(REQUEST_TIMEOUT).header(ApiHandler.FORWARDED_BY, self.toString()).GET().build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().firstValue(ApiHandler.SERVED_BY).ifPresent(v -> headers.put(ApiHandler.SERVED_BY, v));
        response.headers().firstValue("Retry-After").ifPresent(v -> headers.put("Retry-After", v));
        String type = response.headers().firstValue("Content-Type").orElse(ApiResponse.JSON);
        return new ApiResponse(response.statusCode(), type, response.body(), headers);
    }
}
