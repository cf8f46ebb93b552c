package io.rnnstreams.cli;

import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.ConfigException;
import io.rnnstreams.config.Settings;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.http.ApiServer;
import io.rnnstreams.http.HttpSettings;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.model.NativeBlasCheck;
import io.rnnstreams.stream.BoundedRocksDbMemory;
import io.rnnstreams.stream.ForecastTopology;
import io.rnnstreams.stream.Instance;
import io.rnnstreams.stream.ModelFile;
import io.rnnstreams.stream.ProcessorMetrics;
import io.rnnstreams.stream.OutputTimestampCheck;
import io.rnnstreams.stream.StoredModelCheck;
import io.rnnstreams.stream.StreamsSensorQueries;
import io.rnnstreams.stream.registry.RegistryCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the forecasting topology until the JVM is asked to stop (SIGTERM, Ctrl-C) or Kafka Streams fails.
 *
 * <p>An exception that escapes a stream thread shuts the whole client down rather than replacing the
 * thread: bad records never get that far (they become dead letters), so such an exception means a bug or
 * a broken environment, and the operator should see the process exit instead of a task retrying the same
 * record in a loop. Under exactly-once nothing is lost: on restart the task resumes from its last commit.
 *
 * <p>With {@code rnn.http.enabled}, the read-only HTTP API ({@link ApiServer}) serves interactive queries
 * ({@link StreamsSensorQueries}), health and Prometheus metrics ({@link PrometheusMetrics}) while it runs; its
 * socket is bound before Kafka Streams starts, and {@code application.server} defaults to its address.
 */
public final class StreamsApp {
    private static final Logger log = LoggerFactory.getLogger(StreamsApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** How long the start-up check of the stored models' settings waits for the broker. */
    private static final Duration STORED_MODEL_CHECK_TIMEOUT = Duration.ofSeconds(30);
    /**
     * A requested stop (SIGTERM: scale-in, rolling restart) leaves the consumer group at once, so the
     * remaining instances take the tasks over now instead of after {@code session.timeout.ms} (45 s by
     * default), during which those partitions would be processed by nobody.
     */
    private static final CloseOptions LEAVE_ON_CLOSE = CloseOptions
            .groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(CLOSE_TIMEOUT);

    private StreamsApp() {
    }

    /**
     * @return 0 when Kafka Streams stopped by itself, 1 if it failed; a stop requested by SIGTERM ends in the
     *     JVM's own exit code for that signal, 143, after the clean close
     * @throws io.rnnstreams.config.ConfigException (exit code 2) when the cluster at {@code bootstrap.servers}
     *     does not answer within {@code default.api.timeout.ms} ({@link BrokerCheck})
     */
    public static int run(AppConfig config) throws InterruptedException {
        NativeBlasCheck.verify();
        StreamSettings settings = config.streamSettings();
        if (settings.formats().usesRegistry()) {
            log.info("Schema registry at {}: {} (input {}, output {})", settings.formats().registry(),
                    RegistryCheck.check(settings.formats().registry()),
                    settings.formats().input(), settings.formats().output());
        }
        HttpSettings http = HttpSettings.of(config);
        ModelSnapshot initial = loadInitialModel(settings);
        Properties props = ForecastTopology.streamsProperties(settings, config.kafkaProperties());
        ApiServer api = http.enabled() ? bindApi(http) : null;
        try {
            // an unreachable broker fails the start (exit 2) before the stored-model check waits on it
            BrokerCheck.requireReachable(props);
            StoredModelCheck.verify(config.kafkaProperties(), props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
                    settings.modelIdentity(), STORED_MODEL_CHECK_TIMEOUT);
            if (settings.smoothing().on()) {
                StoredModelCheck.verify(config.kafkaProperties(), props.getProperty(
                        StreamsConfig.APPLICATION_ID_CONFIG), ForecastTopology.SMOOTHER_MODEL_STORE,
                        io.rnnstreams.learner.ModelIdentity.of(settings.smootherConfig(), settings.scope()),
                        STORED_MODEL_CHECK_TIMEOUT);
            }
            OutputTimestampCheck.verify(props, List.of(settings.predictionsTopic(), settings.deadLetterTopic()),
                    settings.limits().maxAhead(), STORED_MODEL_CHECK_TIMEOUT);
        } catch (RuntimeException e) {
            if (api != null) {
                api.close();
            }
            throw e;
        }
        PrometheusMetrics prometheus = http.enabled() ? new PrometheusMetrics() : null;
        props.putIfAbsent(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName());
        props.put(BoundedRocksDbMemory.MEMORY_CONFIG, Long.toString(config.get(Settings.STATE_ROCKSDB_MEMORY)));
        TestLeaks.startIfAsked();
        Instance self = null;
        if (api != null) {
            String server = props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG, "");
            if (server.isBlank()) {
                // the API's own address: what the other instances' metadata then point requests at
                server = new Instance(http.bind(), api.port()).toString();
                props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, server);
            }
            self = Instance.parse(server);
        }
        Topology topology = ForecastTopology.build(settings,
                prometheus == null ? ProcessorMetrics.NO_METER_REGISTRY : prometheus.registry());
        log.info("Starting rnn-streams, learner {}, model {} ({}), scope {}", settings.learnerChoice(),
                settings.modelConfig(), config.modelFingerprint(), settings.scope());
        log.info("Topology:\n{}", topology.describe());

        KafkaStreams streams = new KafkaStreams(topology, props);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean failed = new AtomicBoolean();
        streams.setStateListener((now, before) -> {
            log.info("Kafka Streams state {} -> {}", before, now);
            if (now == KafkaStreams.State.ERROR) {
                failed.set(true);
            }
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            log.error("Stream thread failed; shutting the application down so that it can be restarted from its "
                    + "last commit", e);
            failed.set(true);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        Thread hook = new Thread(() -> {
            log.info("Shutdown requested; closing Kafka Streams and leaving the group (up to {})", CLOSE_TIMEOUT);
            if (!streams.close(LEAVE_ON_CLOSE)) {
                // the JVM exits anyway: say so, since the state-change line to NOT_RUNNING will not come
                log.warn("Kafka Streams did not finish closing within {} (state {}); what was not committed is "
                        + "processed again at the next start, which may also restore state stores from their "
                        + "changelogs", CLOSE_TIMEOUT, streams.state());
            }
            stopped.countDown();
        }, "rnn-streams-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (api != null) {
            prometheus.bind(streams, props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
            api.start(new StreamsSensorQueries(streams, settings, initial, self, maxPollInterval(props)),
                    prometheus::scrape);
        }
        try {
            streams.start();
            stopped.await();
            streams.close(CLOSE_TIMEOUT);
        } finally {
            if (api != null) {
                api.close();
                prometheus.close();
            }
        }
        return failed.get() ? 1 : 0;
    }

    /** The stream threads' {@code max.poll.interval.ms}: main-consumer prefix, consumer prefix, plain, default. */
    private static Duration maxPollInterval(Properties props) {
        for (String key : List.of(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
                StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG)) {
            String value = props.getProperty(key);
            if (value != null && !value.isBlank()) {
                return Duration.ofMillis(Long.parseLong(value.trim()));
            }
        }
        return StreamsSensorQueries.DEFAULT_MAX_POLL_INTERVAL;
    }

    /**
     * Opens the HTTP API's socket before Kafka Streams starts, so that a taken port fails the start at once.
     *
     * @throws ConfigException (exit 2) if the address cannot be bound: in use, or not this machine's
     */
    private static ApiServer bindApi(HttpSettings http) {
        try {
            return ApiServer.bind(http);
        } catch (IOException e) {
            throw new ConfigException("rnn.http.bind/rnn.http.port: cannot listen on " + http.bind() + ":"
                    + http.port() + ": " + e.getMessage());
        }
    }

    /**
     * The {@code rnn.model.init} model, read and checked against the settings before anything starts.
     *
     * @throws ConfigException (exit 2) if the file cannot be read or holds a model of another shape
     */
    private static ModelSnapshot loadInitialModel(StreamSettings settings) {
        if (settings.modelInit() == null) {
            return null;
        }
        try {
            return ModelFile.load(settings.modelInit(), settings.learner());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
