package io.rnnstreams.stream.registry;

import io.rnnstreams.config.ConfigException;
import io.rnnstreams.config.RegistryEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The start-up check of {@code rnn.registry.url}: asks the server for its system information
 * ({@code GET /apis/registry/v3/system/info}), so that a wrong URL or a registry that is down fails the start
 * with a message naming the setting, instead of the first record.
 */
public final class RegistryCheck {
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]*)\"");

    private RegistryCheck() {
    }

    /**
     * @return what the registry says it is, e.g. {@code Apicurio Registry 3.3.3}
     * @throws ConfigException naming {@code rnn.registry.url} when no Apicurio Registry v3 API answers there
     *                         within {@code timeout}
     */
    public static String check(RegistryEndpoint endpoint, Duration timeout) {
        String url = endpoint.v3Url() + "/system/info";
        HttpResponse<String> response;
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
            response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ConfigException("rnn.registry.url=" + endpoint + ": no schema registry answers at " + url + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the schema registry at " + url, e);
        }
        if (response.statusCode() != 200) {
            throw new ConfigException("rnn.registry.url=" + endpoint + ": GET " + url + " answered HTTP "
                    + response.statusCode() + "; expected an Apicurio Registry 3 server (its base URL, without "
                    + "/apis/...)");
        }
        Matcher version = VERSION.matcher(response.body());
        return "Apicurio Registry " + (version.find() ? version.group(1) : "(version not given)");
    }
}
