package io.rnnstreams.it.broker;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code org.testcontainers.kafka.KafkaContainer} with the client port bound to a fixed, free host
 * port, so that a stop/start of the same container ({@link KafkaBroker#restart()}) keeps both its data (the
 * container's file system) and the advertised address.
 */
final class ContainerBroker implements BrokerBackend {

    private static final int CLIENT_PORT = 9092;

    private final int hostPort = KafkaBroker.freePorts(1)[0];
    private final FixedPortKafkaContainer container = new FixedPortKafkaContainer(hostPort);
    private long startMillis;

    static ContainerBroker create() {
        return new ContainerBroker();
    }

    static String dockerUnusableReason() {
        org.testcontainers.DockerClientFactory factory = org.testcontainers.DockerClientFactory.instance();
        if (!factory.isDockerAvailable()) {
            return "no Docker engine";
        }
        try {
            factory.client().inspectImageCmd(KafkaBroker.IMAGE).exec();
            return null;
        } catch (RuntimeException notFound) {   // NotFoundException when the image is not local
            return "Docker engine without the image " + KafkaBroker.IMAGE + " (docker pull " + KafkaBroker.IMAGE + " to use it)";
        }
    }

    @Override
    public void start() {
        long t0 = System.nanoTime();
        container.start();
        BrokerAdmin.awaitReady(bootstrapServers(), READY_TIMEOUT, container::isRunning, container::getLogs);
        startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    @Override
    public void startAgain() {
        long t0 = System.nanoTime();
        container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
        BrokerAdmin.awaitReady(bootstrapServers(), READY_TIMEOUT, container::isRunning, container::getLogs);
        startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    @Override
    public void stop() {
        if (container.getContainerId() != null && container.isRunning()) {
            container.getDockerClient().stopContainerCmd(container.getContainerId())
                    .withTimeout((int) STOP_TIMEOUT.toSeconds()).exec();
        }
    }

    @Override
    public void kill() {
        if (container.getContainerId() != null && container.isRunning()) {
            container.getDockerClient().killContainerCmd(container.getContainerId()).exec();
        }
    }

    @Override
    public void close() {
        container.stop();
    }

    @Override
    public String bootstrapServers() {
        // getHost():hostPort; the container advertises the same address (its start script is
        // written once, at the first start, and survives a stop/start of the container)
        return container.getBootstrapServers();
    }

    @Override
    public String describe() {
        return "Testcontainers " + KafkaBroker.IMAGE + " container=" + shortId() + " bootstrap=" + bootstrapServers()
                + " ready in " + startMillis + " ms";
    }

    private String shortId() {
        String id = container.getContainerId();
        return id == null ? "-" : id.substring(0, Math.min(12, id.length()));
    }

    @Override
    public String kind() {
        return "testcontainers";
    }

    @Override
    public Optional<Path> directory() {
        return Optional.empty();
    }

    private static final class FixedPortKafkaContainer extends org.testcontainers.kafka.KafkaContainer {
        FixedPortKafkaContainer(int hostPort) {
            super(KafkaBroker.IMAGE);
            addFixedExposedPort(hostPort, CLIENT_PORT);
            // test data carries historical event times as record timestamps: never delete by age
            withEnv("KAFKA_LOG_RETENTION_MS", "-1");
        }
    }
}
