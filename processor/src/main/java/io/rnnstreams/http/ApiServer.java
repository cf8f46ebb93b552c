package io.rnnstreams.http;

import com.sun.net.httpserver.HttpServer;
import io.rnnstreams.stream.SensorQueries;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded HTTP server (the JDK's {@code com.sun.net.httpserver}) of the read-only API ({@link ApiHandler}).
 * Two steps, so that the port is known before Kafka Streams is configured: {@link #bind} opens the socket
 * (port 0 = a free one), {@link #start} serves. At most {@value #MAX_CONNECTIONS} connections are open
 * at once, each served by at most one daemon thread; a connection that has not sent its whole request within
 * {@link #REQUEST_READ_TIMEOUT} is closed (slow-loris: idle half-requests cannot starve {@code /health}). A
 * forwarded request holds its thread until the owner answers (at most 20 s), and a request that arrives
 * forwarded is answered locally without waiting on another instance, so two instances forwarding to each
 * other cannot wait on each other for longer than that.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /**
     * Connections open at once; the server closes the ones beyond. Each connection holds at most one thread,
     * and the pool may grow to this many, so connections that never finish their request cannot take every
     * thread: they run out of connections first, and those are closed after {@link #REQUEST_READ_TIMEOUT}.
     */
    static final int MAX_CONNECTIONS = 256;
    /** How long a connection may take to send a whole request (line and headers) before it is closed. */
    static final Duration REQUEST_READ_TIMEOUT = Duration.ofSeconds(5);

    static {
        // read once by the JDK's server (sun.net.httpserver.ServerConfig) when the first server is created;
        // an operator's -D on the command line wins
        setIfAbsent("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
        setIfAbsent("sun.net.httpserver.maxReqTime", Long.toString(REQUEST_READ_TIMEOUT.toSeconds()));
        setIfAbsent("sun.net.httpserver.timerMillis", "500");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private final HttpServer server;
    private final HttpSettings settings;
    private ExecutorService executor;

    private ApiServer(HttpServer server, HttpSettings settings) {
        this.server = server;
        this.settings = settings;
    }

    /**
     * Opens the listening socket on {@code rnn.http.bind:rnn.http.port}.
     *
     * @throws IOException if the address cannot be bound (in use, not local)
     */
    public static ApiServer bind(HttpSettings settings) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 64);
        return new ApiServer(server, settings);
    }

    /** The bound port (the actual one when 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Starts serving.
     *
     * @param metrics the Prometheus exposition text, produced on every scrape of {@code /metrics}
     */
    public synchronized void start(SensorQueries queries, Supplier<String> metrics) {
        if (executor != null) {
            throw new IllegalStateException("already started");
        }
        AtomicInteger n = new AtomicInteger();
        // threads on demand up to one per connection, idle ones end after a minute
        executor = new ThreadPoolExecutor(0, MAX_CONNECTIONS + 1, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "rnn-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", new ApiHandler(queries, metrics, settings.maxForecastSteps()));
        server.start();
        log.info("HTTP API on http://{}:{}/ (sensors, health, metrics)", server.getAddress().getHostString(), port());
    }

    @Override
    public synchronized void close() {
        server.stop(0);
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
