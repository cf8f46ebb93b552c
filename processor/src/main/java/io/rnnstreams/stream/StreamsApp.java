package io.rnnstreams.stream;

import io.rnnstreams.config.AppConfig;
import io.rnnstreams.model.NativeBlasCheck;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
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
 */
public final class StreamsApp {
    private static final Logger log = LoggerFactory.getLogger(StreamsApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private StreamsApp() {
    }

    /** @return 0 after a requested shutdown, 1 if Kafka Streams failed */
    public static int run(AppConfig config) throws InterruptedException {
        NativeBlasCheck.verify();
        StreamSettings settings = config.streamSettings();
        Topology topology = ForecastTopology.build(settings);
        Properties props = ForecastTopology.streamsProperties(settings, config.kafkaProperties());
        log.info("Starting rnn-streams, model {} ({}), scope {}", settings.learner(), config.modelFingerprint(),
                settings.scope());
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
            log.info("Shutdown requested; closing Kafka Streams (up to {})", CLOSE_TIMEOUT);
            streams.close(CLOSE_TIMEOUT);
            stopped.countDown();
        }, "rnn-streams-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        streams.start();
        stopped.await();
        streams.close(CLOSE_TIMEOUT);
        return failed.get() ? 1 : 0;
    }
}
