package io.rnnstreams.stream.registry;

import io.apicurio.registry.client.RegistryClientFactory;
import io.apicurio.registry.client.common.RegistryClientOptions;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryClientFacadeImpl;
import io.apicurio.registry.rest.client.RegistryClient;
import io.rnnstreams.config.RegistryEndpoint;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP client of one {@link RegistrySerde}: Apicurio's v3 REST client on a Vert.x {@link WebClient} of ours
 * whose every request is bounded by {@link RegistryEndpoint#timeout()}.
 *
 * <p>Why: the client that Apicurio's serdes (3.1.7) build for themselves has no time-out at all. Its Vert.x
 * adapter ({@code io.kiota.http.vertx.VertXRequestAdapter}) waits for each answer with
 * {@code CompletableFuture.get()}, unbounded, on a {@code WebClient} with no connect bound beyond Vert.x's 60 s
 * and no idle time-out; {@code SchemaResolverConfig} has no time-out setting. A registry that accepts the
 * connection and then never answers blocked the caller (a stream thread, a test) for ever.
 *
 * <p>Here: connecting is bounded by the timeout, and so is each wait for the next byte on the connection (Vert.x's
 * idle time-out: the connection is closed and the request in flight fails with
 * {@code io.vertx.core.http.HttpClosedException}, which {@link RegistrySerde} reports as
 * {@link RegistryUnavailableException}). Apicurio's retry proxy is off: with the Vert.x adapter it never retried
 * anyway (it looks for an {@code IOException} or {@code HttpClosedException} as the direct cause, and the adapter
 * wraps them in {@code RuntimeException(ExecutionException(..))}), so one request costs at most one timeout and a
 * registry that is down is reported at once; what to do about an outage is the caller's decision (the stream stops
 * and is restarted from its last commit).
 *
 * <p>The start-up check ({@link RegistryCheck}) asks through the same client, so it is bounded the same way and
 * speaks the same HTTP/1.1.
 *
 * <p>All registry clients of the process share one Vert.x instance (one event-loop thread, daemon threads), created
 * on first use; {@link #close()} closes this client's {@code WebClient} and its connections.
 */
final class RegistryHttp implements AutoCloseable {
    private final WebClient webClient;
    private final RegistryClient client;
    private final RegistryClientFacade facade;

    private RegistryHttp(WebClient webClient, RegistryClient client) {
        this.webClient = webClient;
        this.client = client;
        this.facade = new RegistryCalls(new RegistryClientFacadeImpl(client));
    }

    /** A client of the registry at {@code endpoint}, its requests bounded by {@code endpoint.timeout()}. */
    static RegistryHttp of(RegistryEndpoint endpoint) {
        int millis = (int) endpoint.timeout().toMillis(); // <= 2 min (RegistryEndpoint.MAX_TIMEOUT)
        WebClientOptions options = new WebClientOptions()
                .setConnectTimeout(millis)
                .setIdleTimeout(millis)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setUserAgent("rnn-streams");
        WebClient webClient = WebClient.create(SharedVertx.INSTANCE, options);
        RegistryClientOptions client = RegistryClientOptions.create(endpoint.v3Url(), SharedVertx.INSTANCE)
                .customWebClient(webClient)
                .disableRetry();
        return new RegistryHttp(webClient, RegistryClientFactory.create(client));
    }

    /** Apicurio's v3 REST client on this bounded connection, for calls of our own ({@link RegistryCheck}). */
    RegistryClient client() {
        return client;
    }

    /**
     * What Apicurio's serializers and deserializers are given instead of building a client themselves; every failure
     * of its calls comes out as a {@link RegistryCalls.Failed}.
     */
    RegistryClientFacade facade() {
        return facade;
    }

    @Override
    public void close() {
        webClient.close();
    }

    /** The one Vert.x instance of the process's registry clients, created on first use. */
    private static final class SharedVertx {
        static final Vertx INSTANCE = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setUseDaemonThread(true));
    }
}
