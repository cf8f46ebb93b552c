package io.rnnstreams.it.broker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;

/**
 * A real Kafka 4.3.1 broker for integration tests: one combined KRaft node (broker + controller).
 *
 * <p>{@link #start()} uses Testcontainers ({@value #IMAGE}, or {@value #LOCAL_IMAGE} built without a registry by
 * {@code deploy/docker/base-images.sh kafka}) when a Docker engine answers, the image is already present locally
 * (pulling would make a test wait for minutes) and Ryuk is disabled or its image present; it decides that in
 * seconds, before touching Testcontainers ({@link ContainerBroker#choose()}). Otherwise it starts the
 * broker as a separate JVM ({@code kafka.Kafka}) from the classpath that the build resolved from
 * {@code deploy/local/broker/pom.xml}. Either way it prints which one it used.
 *
 * <p>System properties (set by the integration-tests POM for failsafe):
 * <ul>
 *   <li>{@code rnnstreams.broker.mode}: {@code auto} (default here; the integration-tests POM sets {@code jvm}, so
 *       that a running Docker engine does not change the suite), {@code jvm}, {@code testcontainers}</li>
 *   <li>{@code rnnstreams.broker.image}: the one broker image for Testcontainers (default: {@value #IMAGE} if
 *       present, else {@value #LOCAL_IMAGE})</li>
 *   <li>{@code rnnstreams.broker.classpathFile}: the broker classpath (default
 *       {@code target/broker-classpath.txt}, then {@code ../deploy/local/.cache/broker-classpath.txt})</li>
 *   <li>{@code rnnstreams.broker.log4j2}: the broker's log4j2 configuration
 *       (default {@code ../deploy/local/broker/log4j2.xml})</li>
 *   <li>{@code rnnstreams.broker.workDir}: parent of the {@code kafka-<n>} data directories (default {@code target})</li>
 *   <li>{@code rnnstreams.broker.jvmOpts}: JVM options of the broker (default
 *       {@code -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}, tuned for start-up time)</li>
 *   <li>{@code rnnstreams.broker.readyTimeoutSeconds}: default 90</li>
 * </ul>
 *
 * <p>Not thread-safe: one test class drives one broker.
 */
public final class KafkaBroker implements AutoCloseable {

    /** The broker image Testcontainers prefers (Docker Hub's). */
    public static final String IMAGE = "apache/kafka:4.3.1";

    /** The same broker built here without a registry: {@code deploy/docker/base-images.sh kafka}. */
    public static final String LOCAL_IMAGE = "local/kafka:4.3.1";

    /** System property naming the one image to use instead of {@value #IMAGE} or {@value #LOCAL_IMAGE}. */
    public static final String IMAGE_PROPERTY = "rnnstreams.broker.image";

    public static final String MODE_PROPERTY = "rnnstreams.broker.mode";

    private final BrokerBackend backend;
    private boolean closed;

    private KafkaBroker(BrokerBackend backend) {
        this.backend = backend;
    }

    /** Starts a broker and returns once it answers {@code Admin.describeCluster()}. */
    public static KafkaBroker start() {
        String mode = System.getProperty(MODE_PROPERTY, "auto").trim().toLowerCase();
        BrokerBackend backend;
        String why;
        switch (mode) {
            case "jvm":
                backend = new JvmBroker();
                why = MODE_PROPERTY + "=jvm";
                break;
            case "testcontainers":
                ContainerBroker.Choice wanted = chooseContainer();
                backend = ContainerBroker.create(wanted.usable() ? wanted.image()
                        : ContainerBroker.imageCandidates().get(0));
                why = MODE_PROPERTY + "=testcontainers" + (wanted.usable() ? "" : ", although " + wanted.unusableReason());
                break;
            case "auto":
            case "":
                long t0 = System.nanoTime();
                ContainerBroker.Choice choice = chooseContainer();
                long decidedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                backend = choice.usable() ? ContainerBroker.create(choice.image()) : new JvmBroker();
                why = (choice.usable() ? "Docker engine and image present" : choice.unusableReason())
                        + "; decided in " + decidedMillis + " ms";
                break;
            default:
                throw new IllegalArgumentException(MODE_PROPERTY + " must be auto, jvm or testcontainers, not " + mode);
        }
        return started(backend, why);
    }

    /**
     * Why Testcontainers cannot run {@code image} here without pulling anything (no Docker engine answers, the
     * engine lacks the image, or Ryuk is enabled and its image missing), or empty when it can; decided over the
     * Engine API within seconds, without touching Testcontainers.
     */
    public static Optional<String> containerUnavailable(String image) {
        ContainerBroker.Choice probed = ContainerBroker.probe(List.of(image));
        return probed.usable() ? Optional.empty() : Optional.of(probed.unusableReason());
    }

    /**
     * Starts a broker on Testcontainers from {@code image}, whatever {@value #MODE_PROPERTY} says, with no
     * fallback to the broker JVM: a failure of the Testcontainers branch fails the caller. Ask
     * {@link #containerUnavailable(String)} first.
     */
    public static KafkaBroker startContainer(String image) {
        return started(ContainerBroker.create(image), "Testcontainers required with " + image);
    }

    private static KafkaBroker started(BrokerBackend backend, String why) {
        KafkaBroker broker = new KafkaBroker(backend);
        try {
            backend.start();
        } catch (RuntimeException | Error e) {
            backend.close();
            throw e;
        }
        System.out.println("KafkaBroker: " + backend.describe() + " (" + why + ")");
        return broker;
    }

    /**
     * Starts a broker JVM (never a container, whatever {@code rnnstreams.broker.mode} says): for tests that stop,
     * kill and restart the broker, which only this fixture has been shown to do.
     */
    public static KafkaBroker startJvm() {
        JvmBroker backend = new JvmBroker();
        KafkaBroker broker = new KafkaBroker(backend);
        try {
            backend.start();
        } catch (RuntimeException | Error e) {
            backend.close();
            throw e;
        }
        System.out.println("KafkaBroker: " + backend.describe() + " (a broker JVM, asked for by the test)");
        return broker;
    }

    /**
     * Starts a broker JVM (never a container) with, besides its PLAINTEXT listener ({@link #bootstrapServers()},
     * for test clients), a SASL_PLAINTEXT listener ({@link #saslBootstrapServers()}) that authenticates with
     * SASL/PLAIN and knows one user, {@code user} with {@code password} (JAAS users in server.properties:
     * {@code listener.name.sasl_plaintext.plain.sasl.jaas.config}). No authorizer: an authenticated user may
     * do anything; a wrong password fails authentication.
     */
    public static KafkaBroker startWithSaslPlain(String user, String password) {
        return startWithSaslPlainAndSsl(user, password, null, null);
    }

    /**
     * Like {@link #startWithSaslPlain}, plus (when {@code keystore} is not null) an SSL listener
     * ({@link #sslBootstrapServers()}) whose server certificate and key are in the PKCS12 {@code keystore},
     * protected by {@code keystorePassword} (store and key). Clients do not authenticate with certificates.
     */
    public static KafkaBroker startWithSaslPlainAndSsl(String user, String password, Path keystore,
                                                       String keystorePassword) {
        JvmBroker backend = new JvmBroker();
        backend.saslPlainUser(user, password);
        if (keystore != null) {
            backend.ssl(keystore, keystorePassword);
        }
        KafkaBroker broker = new KafkaBroker(backend);
        try {
            backend.start();
        } catch (RuntimeException | Error e) {
            backend.close();
            throw e;
        }
        System.out.println("KafkaBroker: " + backend.describe() + " with SASL_PLAINTEXT (PLAIN) at "
                + backend.saslBootstrapServers() + (keystore == null ? "" : ", SSL at " + backend.sslBootstrapServers()));
        return broker;
    }

    /** host:port of the SSL listener of a broker from {@link #startWithSaslPlainAndSsl} with a keystore. */
    public String sslBootstrapServers() {
        if (backend instanceof JvmBroker jvm && jvm.sslBootstrapServers() != null) {
            return jvm.sslBootstrapServers();
        }
        throw new IllegalStateException("this broker has no SSL listener: start it with startWithSaslPlainAndSsl");
    }

    /** host:port of the SASL_PLAINTEXT listener of a broker from {@link #startWithSaslPlain}. */
    public String saslBootstrapServers() {
        if (backend instanceof JvmBroker jvm && jvm.saslBootstrapServers() != null) {
            return jvm.saslBootstrapServers();
        }
        throw new IllegalStateException("this broker has no SASL listener: start it with startWithSaslPlain");
    }

    /**
     * Which image Testcontainers can run here, or why none ({@link ContainerBroker#choose()}): decided in seconds,
     * without pulling. Everything is inside a try/catch: Testcontainers may also throw while looking.
     */
    static ContainerBroker.Choice chooseContainer() {
        try {
            return ContainerBroker.choose();
        } catch (Throwable t) {   // NoClassDefFoundError, docker-java exceptions, ...
            return new ContainerBroker.Choice(null, "Testcontainers failed: " + t);
        }
    }

    /** host:port for {@code bootstrap.servers}; stable across {@link #restart()}. */
    public String bootstrapServers() {
        return backend.bootstrapServers();
    }

    /** "testcontainers" or "jvm". */
    public String kind() {
        return backend.kind();
    }

    /** A new Admin client on this broker; the caller closes it. */
    public Admin admin() {
        return BrokerAdmin.newAdmin(bootstrapServers());
    }

    /**
     * Creates the topics (name -> partitions, replication factor 1) and waits until every partition
     * has a leader. Existing topics with the same partition count are accepted.
     */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        BrokerAdmin.createTopics(bootstrapServers(), partitionsByTopic);
    }

    /** Stops the broker (SIGTERM, wait, then kill). Data and ports are kept for {@link #restart()}. */
    public void stop() {
        backend.stop();
    }

    /**
     * Kills the broker (SIGKILL to the broker JVM, {@code docker kill} for the container): no controlled
     * shutdown, so open transactions, group sessions and unflushed log segments are left as a crash leaves them.
     * Data and ports are kept for {@link #restart()}.
     */
    public void kill() {
        backend.kill();
    }

    /** Stops the broker if running and starts it again on the same data and the same ports. */
    public void restart() {
        long t0 = System.nanoTime();
        backend.stop();
        backend.startAgain();
        System.out.printf("KafkaBroker: restarted (%s) in %d ms%n", backend.describe(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** The broker's data/log directory (JVM broker) or empty (container). */
    public Optional<Path> directory() {
        return backend.directory();
    }

    /** Stops the broker for good and releases everything. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            backend.close();
        }
    }

    /** Distinct free TCP ports on 127.0.0.1 (all held open until all are chosen). */
    public static int[] freePorts(int count) {
        return KRaftLauncher.freePorts(count);
    }

    /** The last {@code lines} lines of a text file (for failure messages). */
    public static String tail(Path file, int lines) {
        return KRaftLauncher.tail(file, lines);
    }

}
