package io.rnnstreams.stream.registry;

import com.microsoft.kiota.ApiException;
import io.apicurio.registry.rest.client.models.SystemInfo;
import io.rnnstreams.config.ConfigException;
import io.rnnstreams.config.RegistryEndpoint;
import java.time.Duration;

/**
 * The start-up check of {@code rnn.registry.url}: asks the server for its system information
 * ({@code GET /apis/registry/v3/system/info}), so that a wrong URL or a registry that is down fails the start
 * with a message naming the setting, instead of the first record.
 *
 * <p>It asks through the serdes' own client ({@link RegistryHttp}: HTTP/1.1, connecting and each wait for the next
 * byte bounded by {@code rnn.registry.timeout}), so a registry that accepts the connection and never answers fails
 * the start after one timeout, with a message naming {@code rnn.registry.timeout} too.
 */
public final class RegistryCheck {
    private RegistryCheck() {
    }

    /**
     * @return what the registry says it is, e.g. {@code Apicurio Registry 3.3.3}
     * @throws ConfigException naming {@code rnn.registry.url} (and {@code rnn.registry.timeout} when the answer did
     *                         not come in time) when no Apicurio Registry v3 API answers there within
     *                         {@code endpoint.timeout()}
     */
    public static String check(RegistryEndpoint endpoint) {
        String url = endpoint.v3Url() + "/system/info";
        long start = System.nanoTime();
        SystemInfo info;
        try (RegistryHttp http = RegistryHttp.of(endpoint)) {
            info = http.client().system().info().get();
        } catch (RuntimeException e) {
            ApiException status = apiException(e);
            if (status != null && status.getResponseStatusCode() > 0) {
                throw new ConfigException("rnn.registry.url=" + endpoint + ": GET " + url + " answered HTTP "
                        + status.getResponseStatusCode() + "; expected an Apicurio Registry 3 server (its base URL, "
                        + "without /apis/...)");
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String late = took.compareTo(endpoint.timeout()) >= 0
                    ? " within rnn.registry.timeout=" + endpoint.timeout().toMillis() + "ms (raise it if the "
                            + "registry is slow to answer)"
                    : "";
            throw new ConfigException("rnn.registry.url=" + endpoint + ": no schema registry answers at " + url
                    + late + " (" + rootCause(e) + ")");
        }
        String version = info == null ? null : info.getVersion();
        return "Apicurio Registry " + (version == null ? "(version not given)" : version);
    }

    private static ApiException apiException(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ApiException api) {
                return api;
            }
        }
        return null;
    }

    /** The innermost cause, as {@code SimpleName: message}. */
    private static String rootCause(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
}
