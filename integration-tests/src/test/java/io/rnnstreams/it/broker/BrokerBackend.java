package io.rnnstreams.it.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** One way of running the broker behind {@link KafkaBroker}: a KRaft JVM ({@link JvmBroker}) or a container ({@link ContainerBroker}). */
interface BrokerBackend {

    Duration READY_TIMEOUT = Duration.ofSeconds(Long.getLong("rnnstreams.broker.readyTimeoutSeconds", 90));
    Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    void start();

    void startAgain();

    void stop();

    void kill();

    void close();

    String bootstrapServers();

    String describe();

    String kind();

    Optional<Path> directory();
}
