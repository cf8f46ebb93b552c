package io.rnnstreams.it.broker;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.testcontainers.utility.DockerImageName;

/**
 * {@code org.testcontainers.kafka.KafkaContainer} with the client port bound to a fixed, free host
 * port, so that a stop/start of the same container ({@link KafkaBroker#restart()}) keeps both its data (the
 * container's file system) and the advertised address.
 *
 * <p>The image is {@value KafkaBroker#IMAGE}, or an image built to start the same way ({@code /etc/kafka/docker/run},
 * KAFKA_* settings), e.g. {@value KafkaBroker#LOCAL_IMAGE} from {@code deploy/docker/base-images.sh kafka}, which needs
 * no registry. {@link #choose()} decides within seconds whether one can run here, before Testcontainers is touched.
 */
final class ContainerBroker implements BrokerBackend {

    private static final int CLIENT_PORT = 9092;

    /** Testcontainers 2.0 reads Ryuk's switch from this environment variable only. */
    static final String RYUK_DISABLED_ENV = "TESTCONTAINERS_RYUK_DISABLED";

    /**
     * The image Ryuk runs from in Testcontainers 2.0.5 ({@code org.testcontainers.utility.RyukContainer}; the
     * deprecated {@code TestcontainersConfiguration.getRyukImage()} names no tag). Update with testcontainers.version.
     */
    static final String RYUK_IMAGE = "testcontainers/ryuk:0.14.0";

    private static final String SIGTERM_THE_JVM =
            "for p in /proc/[0-9]*; do [ \"$(cat $p/comm 2>/dev/null)\" = java ] && kill -TERM \"${p#/proc/}\"; done; true";

    private final String image;
    private final int hostPort = KafkaBroker.freePorts(1)[0];
    private final FixedPortKafkaContainer container;
    private long startMillis;

    private ContainerBroker(String image) {
        this.image = image;
        this.container = new FixedPortKafkaContainer(image, hostPort);
    }

    static ContainerBroker create(String image) {
        return new ContainerBroker(image);
    }

    /**
     * The image to run, or why none can run here: either {@code image} (present locally) with a null
     * {@code unusableReason}, or a null image and the reason.
     */
    record Choice(String image, String unusableReason) {
        boolean usable() {
            return unusableReason == null;
        }
    }

    /**
     * The broker images the fixture may run, by preference: {@code rnnstreams.broker.image} alone when set,
     * else {@value KafkaBroker#IMAGE}, then {@value KafkaBroker#LOCAL_IMAGE}.
     */
    static List<String> imageCandidates() {
        String configured = System.getProperty(KafkaBroker.IMAGE_PROPERTY, "").trim();
        return configured.isEmpty() ? List.of(KafkaBroker.IMAGE, KafkaBroker.LOCAL_IMAGE) : List.of(configured);
    }

    /**
     * Whether Testcontainers can start a broker here without pulling anything, decided in a few seconds (a few
     * Engine API requests of at most {@link DockerEngineProbe#TIMEOUT} each): a Docker engine answers, one of
     * {@link #imageCandidates()} is present, and Ryuk is disabled ({@value #RYUK_DISABLED_ENV}=true) or its image
     * is present. Only then is Testcontainers asked ({@code isDockerAvailable()}): its first contact starts Ryuk,
     * which without its image and a registry retries the pull for minutes.
     */
    static Choice choose() {
        Choice probed = probe(imageCandidates());
        if (!probed.usable()) {
            return probed;
        }
        if (!org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
            return new Choice(null, "Testcontainers finds no usable Docker engine (the probe found "
                    + DockerEngineProbe.locate().map(DockerEngineProbe::endpoint).orElse("none") + ")");
        }
        return probed;
    }

    /**
     * The Engine API half of {@link #choose()}, without Testcontainers: the first of {@code candidates} present on
     * an answering Docker engine when Ryuk is disabled or its image present, or why none can run here.
     */
    static Choice probe(List<String> candidates) {
        Optional<DockerEngineProbe> engine = DockerEngineProbe.locate();
        if (engine.isEmpty()) {
            return new Choice(null, "no Docker engine answers (" + DockerEngineProbe.describeCandidates() + ")");
        }
        String image = candidates.stream().filter(engine.get()::hasImage).findFirst().orElse(null);
        if (image == null) {
            return new Choice(null, "the Docker engine at " + engine.get().endpoint() + " has none of the images "
                    + candidates + " (no pull is tried; deploy/docker/base-images.sh kafka builds "
                    + KafkaBroker.LOCAL_IMAGE + " without a registry)");
        }
        if (!Boolean.parseBoolean(System.getenv(RYUK_DISABLED_ENV))) {
            if (!engine.get().hasImage(RYUK_IMAGE)) {
                return new Choice(null, "Ryuk is enabled and its image " + RYUK_IMAGE + " is not on the Docker engine at "
                        + engine.get().endpoint() + " (set " + RYUK_DISABLED_ENV + "=true, as the integration-tests "
                        + "POM does by default, or pull it)");
            }
        }
        return new Choice(image, null);
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
        if (container.getContainerId() == null || !container.isRunning()) {
            return;
        }
        // PID 1 of a KafkaContainer is the 'sh -c' of its start-up command, which ignores SIGTERM: 'docker stop'
        // alone waits out its whole timeout and then SIGKILLs the broker. Send SIGTERM to the broker's JVM only
        // (found in /proc: no ps or pidof needed): it shuts down cleanly, then its parents and the container end.
        // Signalling the parents too would end PID 1 first, and the kernel would SIGKILL the JVM mid-shutdown.
        try {
            container.execInContainer("sh", "-c", SIGTERM_THE_JVM);
        } catch (Exception e) {   // no sh in the image, exec refused, ...: docker stop below still stops it
            System.out.println("KafkaBroker: could not signal the broker in its container (" + e + ")");
        }
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (container.isRunning() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (container.isRunning()) {
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
        return "Testcontainers " + image + " container=" + shortId() + " bootstrap=" + bootstrapServers()
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
        FixedPortKafkaContainer(String image, int hostPort) {
            super(DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"));
            addFixedExposedPort(hostPort, CLIENT_PORT);
            // test data carries historical event times as record timestamps: never delete by age
            withEnv("KAFKA_LOG_RETENTION_MS", "-1");
        }
    }
}
