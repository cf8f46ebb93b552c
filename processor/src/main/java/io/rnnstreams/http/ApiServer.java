package io.rnnstreams.http;

import com.sun.net.httpserver.HttpServer;
import io.rnnstreams.stream.SensorQueries;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded HTTP server (the JDK's {@code com.sun.net.httpserver}) of the read-only API ({@link ApiHandler}).
 * Two steps, so that the port is known before Kafka Streams is configured: {@link #bind} opens the socket
 * (port 0 = a free one), {@link #start} serves. Requests run on a pool of {@value #THREADS} daemon threads; a
 * forwarded request holds its thread until the owner answers (at most 20 s), and a request that arrives
 * forwarded is answered locally without waiting on another instance, so two instances forwarding to each
 * other cannot wait on each other for longer than that.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final int THREADS = 16;

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
        executor = Executors.newFixedThreadPool(THREADS, r -> {
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
