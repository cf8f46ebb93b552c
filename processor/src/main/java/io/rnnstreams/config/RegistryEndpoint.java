package io.rnnstreams.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the schema registry is: the base URL of an Apicurio Registry server (e.g.
 * {@code http://registry:8080}), from which its native API ({@code /apis/registry/v3}, the one the serdes
 * use) and its Confluent-compatible API ({@code /apis/ccompat/v7}) are derived; and how long one request of the
 * serdes to it may take.
 *
 * @param base    http or https URL with a host, without a query, a fragment, or a trailing slash
 * @param timeout the bound of every HTTP request of the serdes to the registry ({@code rnn.registry.timeout}):
 *                connecting, then each wait for the next byte of the answer; in [{@link #MIN_TIMEOUT},
 *                {@link #MAX_TIMEOUT}]
 */
public record RegistryEndpoint(URI base, Duration timeout) {
    private static final String V3_PATH = "/apis/registry/v3";
    private static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    /** {@code rnn.registry.timeout}'s default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The shortest timeout allowed. */
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    /**
     * The longest timeout allowed: below Kafka's default {@code max.poll.interval.ms} (5 min), so that a stream
     * thread waiting on the registry fails with the registry's error before its group evicts it.
     */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);
    /** What {@code rnn.registry.timeout} allows, for messages. */
    public static final String TIMEOUT_ALLOWED = "a duration from 100ms to 2m (e.g. 10s, PT30S)";

    public RegistryEndpoint {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("the timeout must be " + TIMEOUT_ALLOWED + ", got " + timeout);
        }
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("must be an http:// or https:// URL, got '" + base + "'");
        }
        if (base.getHost() == null || base.getHost().isEmpty()) {
            throw new IllegalArgumentException("must name a host, got '" + base + "'");
        }
        if (base.getRawQuery() != null || base.getRawFragment() != null) {
            throw new IllegalArgumentException("must have no query or fragment, got '" + base + "'");
        }
        if (base.getPath() != null && base.getPath().endsWith("/")) {
            throw new IllegalArgumentException("must not end with '/', got '" + base + "'");
        }
    }

    /**
     * Parses a registry URL as a user gives it: the server's base URL, or that URL followed by
     * {@code /apis/registry/v3} (removed); a trailing slash is dropped. The timeout is {@link #DEFAULT_TIMEOUT}.
     *
     * @throws IllegalArgumentException naming what is wrong: not an http(s) URL with a host, a query or
     *                                  fragment, or a URL of another API (Confluent's {@code /apis/ccompat/...}
     *                                  or Apicurio's older {@code /apis/registry/v2})
     */
    public static RegistryEndpoint parse(String url) {
        String text = url == null ? "" : url.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("must be the registry server's URL, e.g. http://localhost:8080; got "
                    + "nothing");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new IllegalArgumentException("must be an http:// or https:// URL, e.g. http://localhost:8080; got '"
                    + url + "'");
        }
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.endsWith(V3_PATH)) {
            text = text.substring(0, text.length() - V3_PATH.length());
        }
        int api = text.indexOf("/apis/");
        if (api >= 0) {
            throw new IllegalArgumentException("must be the server's base URL (" + text.substring(0, api)
                    + "): the serdes use Apicurio's v3 API under it, not " + text.substring(api) + "; got '" + url
                    + "'");
        }
        try {
            return new RegistryEndpoint(new URI(text), DEFAULT_TIMEOUT);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL (" + e.getMessage() + "): '" + url + "'", e);
        }
    }

    /**
     * This endpoint with another request timeout.
     *
     * @throws IllegalArgumentException if {@code newTimeout} is outside [{@link #MIN_TIMEOUT}, {@link #MAX_TIMEOUT}]
     */
    public RegistryEndpoint withTimeout(Duration newTimeout) {
        return new RegistryEndpoint(base, newTimeout);
    }

    /** The URL of Apicurio's native v3 API, which the serdes are given. */
    public String v3Url() {
        return base + V3_PATH;
    }

    /** The URL of the Confluent-compatible API, for Confluent clients and tools. */
    public String confluentUrl() {
        return base + CCOMPAT_PATH;
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
