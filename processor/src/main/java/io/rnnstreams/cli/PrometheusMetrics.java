package io.rnnstreams.cli;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rnnstreams.stream.ProcessorMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The Prometheus view of the application's metrics: a {@link PrometheusMeterRegistry} holding the
 * processing-time histogram ({@link ProcessorMetrics}) and, through Micrometer's {@link KafkaStreamsMetrics}
 * binder, every metric of the Kafka Streams client: its own (client, thread, task, store) and the
 * application's per-task sensors (readings, predictions, dead letters by reason, updates, restores, resets,
 * prequential error), named {@code kafka_stream_rnn_streams_*}. The binder looks for new and removed Kafka
 * metrics (tasks come and go with rebalances) every {@link #REFRESH}.
 *
 * <p>Use: create, build the topology with {@link #registry()}, create {@link KafkaStreams}, {@link #bind} it,
 * then serve {@link #scrape()}.
 */
public final class PrometheusMetrics implements AutoCloseable {
    static final Duration REFRESH = Duration.ofSeconds(5);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rnn-metrics-refresh");
        t.setDaemon(true);
        return t;
    });
    private KafkaStreamsMetrics binder;

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Exposes {@code streams}' metrics (tagged with {@code application} = its application id). */
    public synchronized void bind(KafkaStreams streams, String applicationId) {
        if (binder != null) {
            throw new IllegalStateException("already bound");
        }
        binder = new KafkaStreamsMetrics(streams, List.of(Tag.of("application", applicationId)), scheduler, REFRESH);
        binder.bindTo(registry);
    }

    /** The Prometheus text exposition (format 0.0.4) of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public synchronized void close() {
        if (binder != null) {
            binder.close();
        }
        scheduler.shutdownNow();
        registry.close();
    }
}
