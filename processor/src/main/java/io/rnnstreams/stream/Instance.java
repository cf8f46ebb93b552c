package io.rnnstreams.stream;

import java.util.Objects;

/**
 * One application instance's query endpoint, as given by its {@code application.server} ({@code host:port}).
 */
public record Instance(String host, int port) {
    public Instance {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || port < 0 || port > 65535) {
            throw new IllegalArgumentException("not a host:port: " + host + ":" + port);
        }
    }

    /**
     * Parses {@code host:port} (an IPv6 host in brackets).
     *
     * @throws IllegalArgumentException if it is not of that form
     */
    public static Instance parse(String hostPort) {
        int colon = hostPort == null ? -1 : hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new Instance(host, Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'", e);
        }
    }

    /** {@code host:port}, an IPv6 host in brackets: usable in a URL's authority. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
