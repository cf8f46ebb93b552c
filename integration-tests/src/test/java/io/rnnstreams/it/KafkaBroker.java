package io.rnnstreams.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Kafka 4.3.1 broker for integration tests: one combined KRaft node (broker + controller).
 *
 * <p>{@link #start()} uses Testcontainers ({@value #IMAGE}) when a Docker engine answers and the image
 * is already present locally (pulling would make a test wait for minutes); otherwise it starts the
 * broker as a separate JVM ({@code kafka.Kafka}) from the classpath that the build resolved from
 * {@code deploy/local/broker/pom.xml}. Either way it prints which one it used.
 *
 * <p>System properties (set by the integration-tests POM for failsafe):
 * <ul>
 *   <li>{@code rnnstreams.broker.mode}: {@code auto} (default), {@code jvm}, {@code testcontainers}</li>
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

    public static final String IMAGE = "apache/kafka:4.3.1";

    static final String MODE_PROPERTY = "rnnstreams.broker.mode";
    private static final Duration READY_TIMEOUT =
            Duration.ofSeconds(Long.getLong("rnnstreams.broker.readyTimeoutSeconds", 90));
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Backend backend;
    private boolean closed;

    private KafkaBroker(Backend backend) {
        this.backend = backend;
    }

    /** Starts a broker and returns once it answers {@code Admin.describeCluster()}. */
    public static KafkaBroker start() {
        String mode = System.getProperty(MODE_PROPERTY, "auto").trim().toLowerCase();
        Backend backend;
        String why;
        switch (mode) {
            case "jvm":
                backend = new JvmBackend();
                why = MODE_PROPERTY + "=jvm";
                break;
            case "testcontainers":
                backend = ContainerBackend.create();
                why = MODE_PROPERTY + "=testcontainers";
                break;
            case "auto":
            case "":
                String unusable = dockerUnusableReason();
                backend = unusable == null ? ContainerBackend.create() : new JvmBackend();
                why = unusable == null ? "Docker engine and image present" : unusable;
                break;
            default:
                throw new IllegalArgumentException(MODE_PROPERTY + " must be auto, jvm or testcontainers, not " + mode);
        }
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
        JvmBackend backend = new JvmBackend();
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
        if (backend instanceof JvmBackend jvm && jvm.sslBootstrapServers() != null) {
            return jvm.sslBootstrapServers();
        }
        throw new IllegalStateException("this broker has no SSL listener: start it with startWithSaslPlainAndSsl");
    }

    /** host:port of the SASL_PLAINTEXT listener of a broker from {@link #startWithSaslPlain}. */
    public String saslBootstrapServers() {
        if (backend instanceof JvmBackend jvm && jvm.saslBootstrapServers() != null) {
            return jvm.saslBootstrapServers();
        }
        throw new IllegalStateException("this broker has no SASL listener: start it with startWithSaslPlain");
    }

    /**
     * Null when a Docker engine answers and {@value #IMAGE} is present locally, else why not. Without
     * Docker, Testcontainers' {@code start()} throws; with Docker but without the image it retries
     * pulls for minutes. Everything is inside a try/catch: Testcontainers may also throw while looking.
     */
    static String dockerUnusableReason() {
        try {
            return ContainerBackend.dockerUnusableReason();
        } catch (Throwable t) {   // NoClassDefFoundError, docker-java exceptions, ...
            return "Testcontainers failed: " + t;
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
        return newAdmin(bootstrapServers());
    }

    /**
     * Creates the topics (name -> partitions, replication factor 1) and waits until every partition
     * has a leader. Existing topics with the same partition count are accepted.
     */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        if (partitionsByTopic.isEmpty()) {
            return;
        }
        List<NewTopic> topics = partitionsByTopic.entrySet().stream()
                .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
                .collect(Collectors.toList());
        try (Admin admin = admin()) {
            try {
                admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("creating topics " + partitionsByTopic + " failed", e.getCause());
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                Map<String, TopicDescription> described;
                try {
                    described = admin.describeTopics(partitionsByTopic.keySet()).allTopicNames()
                            .get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // right after creation the metadata may not know the topic yet: ask again
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException)
                            || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(50);
                    continue;
                }
                boolean ready = true;
                for (Map.Entry<String, Integer> e : partitionsByTopic.entrySet()) {
                    TopicDescription d = described.get(e.getKey());
                    if (d.partitions().size() != e.getValue()) {
                        throw new IllegalStateException("topic " + e.getKey() + " exists with "
                                + d.partitions().size() + " partitions, not " + e.getValue());
                    }
                    ready &= d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                }
                if (ready && partitionsServed(admin, described)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("partitions of " + partitionsByTopic.keySet()
                            + " have no leader serving them after 60 s");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("creating topics " + partitionsByTopic + " failed", e);
        }
    }

    /**
     * True when the leader answers ListOffsets for every partition, i.e. has loaded the partition's log.
     * A leader in the metadata is not enough: right after creation the broker may still be creating
     * the logs, and an idempotent producer whose first batch to a partition fails that way (while its
     * later batches, sent concurrently, succeed) can end in an endless OutOfOrderSequenceException loop.
     */
    private static boolean partitionsServed(Admin admin, Map<String, TopicDescription> described)
            throws InterruptedException, TimeoutException {
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
        described.forEach((topic, d) -> d.partitions().forEach(p ->
                latest.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                        org.apache.kafka.clients.admin.OffsetSpec.latest())));
        try {
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.RetriableException) {
                return false;
            }
            throw new IllegalStateException("ListOffsets on new topics " + described.keySet() + " failed", e.getCause());
        }
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

    // ------------------------------------------------------------------------------------ shared

    static Admin newAdmin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-broker-fixture");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return Admin.create(p);
    }

    /**
     * Polls {@code describeCluster()} until it lists a node. {@code alive} is checked between attempts
     * so that a broker that died during start-up fails fast; {@code diagnostics} goes into the exception.
     */
    static void awaitReady(String bootstrap, Duration timeout, java.util.function.BooleanSupplier alive,
                           java.util.function.Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        try (Admin admin = newAdmin(bootstrap)) {
            while (true) {
                if (!alive.getAsBoolean()) {
                    throw new IllegalStateException("the Kafka broker exited during start-up\n" + diagnostics.get(), last);
                }
                try {
                    Collection<?> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                            .nodes().get(3, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    last = e.getCause();
                } catch (TimeoutException e) {
                    last = e;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Kafka broker at " + bootstrap + " did not answer describeCluster() within "
                            + timeout.toSeconds() + " s\n" + diagnostics.get(), last);
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }

    private interface Backend {
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

    // ------------------------------------------------------------------------------------ JVM

    /** kafka.Kafka in a child JVM; storage formatted once; logs and data under workDir/kafka-n. */
    private static final class JvmBackend implements Backend {

        private static final String PID_FILE = "broker.pid";

        private final Path javaExe = Paths.get(System.getProperty("java.home"), "bin", "java");
        private Path dir;
        private Path properties;
        private String classpath;
        private Path log4j2;
        private int brokerPort;
        private int controllerPort;
        private Process process;
        private java.io.OutputStream stdinOfBroker;
        private Thread shutdownHook;
        private long startMillis;
        /** SASL/PLAIN user and password of the extra SASL_PLAINTEXT listener; null: no such listener. */
        private String saslUser;
        private String saslPassword;
        private int saslPort;

        void saslPlainUser(String user, String password) {
            if (user.isEmpty() || user.contains("\"") || password.contains("\"") || password.contains("\\")) {
                throw new IllegalArgumentException("user and password must be non-empty, without \" or \\");
            }
            this.saslUser = user;
            this.saslPassword = password;
        }

        String saslBootstrapServers() {
            return saslUser == null ? null : "127.0.0.1:" + saslPort;
        }

        /** PKCS12 keystore and its password of the extra SSL listener; null: no such listener. */
        private Path sslKeystore;
        private String sslPassword;
        private int sslPort;

        void ssl(Path keystore, String password) {
            this.sslKeystore = keystore.toAbsolutePath();
            this.sslPassword = password;
        }

        String sslBootstrapServers() {
            return sslKeystore == null ? null : "127.0.0.1:" + sslPort;
        }

        @Override
        public void start() {
            classpath = readClasspath();
            log4j2 = locate("rnnstreams.broker.log4j2", Paths.get("..", "deploy", "local", "broker", "log4j2.xml"));
            dir = newDirectory(Paths.get(System.getProperty("rnnstreams.broker.workDir", "target")));
            int[] ports = freePorts(4);
            brokerPort = ports[0];
            controllerPort = ports[1];
            saslPort = ports[2];
            sslPort = ports[3];
            try {
                Files.createDirectories(dir.resolve("logs"));
                properties = dir.resolve("server.properties");
                Files.writeString(properties, serverProperties());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long t0 = System.nanoTime();
            format();
            launch();
            startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        }

        @Override
        public void startAgain() {
            long t0 = System.nanoTime();
            launch();
            startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        }

        private String serverProperties() {
            String cport = Integer.toString(controllerPort);
            String bport = Integer.toString(brokerPort);
            String sasl = (saslUser == null ? "" : ",SASL_PLAINTEXT://127.0.0.1:" + saslPort)
                    + (sslKeystore == null ? "" : ",SSL://127.0.0.1:" + sslPort);
            return String.join("\n",
                    "# written by io.rnnstreams.it.KafkaBroker: one combined KRaft node on 127.0.0.1",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + cport,
                    "listeners=PLAINTEXT://127.0.0.1:" + bport + ",CONTROLLER://127.0.0.1:" + cport + sasl,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + bport + sasl,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
                            + (saslUser == null ? "" : ",SASL_PLAINTEXT:SASL_PLAINTEXT")
                            + (sslKeystore == null ? "" : ",SSL:SSL"),
                    sslKeystore == null ? "" : "listener.name.ssl.ssl.keystore.location=" + sslKeystore,
                    sslKeystore == null ? "" : "listener.name.ssl.ssl.keystore.password=" + sslPassword,
                    sslKeystore == null ? "" : "listener.name.ssl.ssl.key.password=" + sslPassword,
                    sslKeystore == null ? "" : "listener.name.ssl.ssl.keystore.type=PKCS12",
                    saslUser == null ? "" : "listener.name.sasl_plaintext.sasl.enabled.mechanisms=PLAIN",
                    saslUser == null ? "" : "listener.name.sasl_plaintext.plain.sasl.jaas.config="
                            + "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + saslUser
                            + "=\"" + saslPassword + "\";",
                    "log.dirs=" + dir.resolve("data").toAbsolutePath(),
                    "num.partitions=1",
                    "default.replication.factor=1",
                    "min.insync.replicas=1",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "transaction.state.log.num.partitions=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    // test data carries historical event times as record timestamps: never delete by age
                    "log.retention.ms=-1",
                    "");
        }

        private void format() {
            List<String> cmd = new ArrayList<>();
            cmd.add(javaExe.toString());
            cmd.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
            cmd.add("-Dkafka.logs.dir=" + dir.resolve("logs").toAbsolutePath());
            cmd.add("-Dlog4j2.configurationFile=" + log4j2);
            cmd.addAll(List.of("-cp", classpath, "kafka.tools.StorageTool", "format",
                    "-t", Uuid.randomUuid().toString(), "-c", properties.toAbsolutePath().toString()));
            Path out = dir.resolve("format.log");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new IllegalStateException("kafka.tools.StorageTool format did not finish in 120 s\n" + tail(out, 40));
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("kafka.tools.StorageTool format exited with " + p.exitValue() + "\n" + tail(out, 40));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private void launch() {
            List<String> cmd = new ArrayList<>();
            cmd.add(javaExe.toString());
            cmd.addAll(List.of(System.getProperty("rnnstreams.broker.jvmOpts",
                    "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1").trim().split("\\s+")));
            cmd.add("-Dkafka.logs.dir=" + dir.resolve("logs").toAbsolutePath());
            cmd.add("-Dlog4j2.configurationFile=" + log4j2);
            cmd.addAll(List.of("-cp", installLauncher() + java.io.File.pathSeparator + classpath,
                    BrokerLauncher.class.getName(), "kafka.Kafka", properties.toAbsolutePath().toString()));
            try {
                process = new ProcessBuilder(cmd)
                        .redirectInput(ProcessBuilder.Redirect.PIPE)   // BrokerLauncher exits when it closes
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                        .start();
                stdinOfBroker = process.getOutputStream();   // held (never written) so that it stays open
                Files.writeString(dir.resolve(PID_FILE), process.pid() + " " + ProcessHandle.current().pid() + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("starting the Kafka broker JVM failed", e);
            }
            // a test JVM that ends without close() (or is interrupted) must not leave a broker behind
            Process started = process;
            shutdownHook = new Thread(() -> {
                started.destroy();
                try {
                    if (!started.waitFor(20, TimeUnit.SECONDS)) {
                        started.destroyForcibly();
                    }
                } catch (InterruptedException ignored) {
                    started.destroyForcibly();
                }
            }, "kafka-broker-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            try {
                awaitReady(bootstrapServers(), READY_TIMEOUT, process::isAlive, this::diagnostics);
            } catch (RuntimeException e) {
                stop();
                throw e;
            }
        }

        @Override
        public void stop() {
            Process p = process;
            if (p == null) {
                return;
            }
            process = null;
            try {
                p.destroy();   // SIGTERM: controlled shutdown
                if (!p.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    System.out.println("KafkaBroker: pid " + p.pid() + " still alive " + STOP_TIMEOUT.toSeconds()
                            + " s after SIGTERM; killing it");
                    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            } finally {
                releaseProcess();
            }
        }

        @Override
        public void kill() {
            Process p = process;
            if (p == null) {
                return;
            }
            process = null;
            try {
                p.destroyForcibly();   // SIGKILL
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the Kafka broker pid " + p.pid() + " is alive 30 s after SIGKILL");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                releaseProcess();
            }
        }

        private void removeShutdownHook() {
            if (shutdownHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException ignored) {
                    // the JVM is shutting down already; the hook runs anyway
                }
                shutdownHook = null;
            }
        }


        /** After a stop or a kill: closes the broker's stdin, drops the shutdown hook and the pid file. */
        private void releaseProcess() {
            try {
                if (stdinOfBroker != null) {
                    stdinOfBroker.close();
                }
            } catch (IOException ignored) {
                // already closed
            }
            stdinOfBroker = null;
            removeShutdownHook();
            try {
                Files.deleteIfExists(dir.resolve(PID_FILE));
            } catch (IOException ignored) {
                // best effort
            }
        }
        @Override
        public void close() {
            stop();
        }

        @Override
        public String bootstrapServers() {
            return "127.0.0.1:" + brokerPort;
        }

        @Override
        public String describe() {
            Process p = process;
            return "KRaft JVM pid=" + (p == null ? "-" : Long.toString(p.pid())) + " bootstrap=" + bootstrapServers()
                    + " dir=" + dir + " ready in " + startMillis + " ms";
        }

        @Override
        public String kind() {
            return "jvm";
        }

        @Override
        public Optional<Path> directory() {
            return Optional.ofNullable(dir);
        }

        /** Copies BrokerLauncher.class to dir/launcher (a classpath entry holding only that class). */
        private Path installLauncher() {
            Path root = dir.resolve("launcher");
            String resource = BrokerLauncher.class.getName().replace('.', '/') + ".class";
            Path target = root.resolve(resource);
            try (java.io.InputStream in = BrokerLauncher.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " not found on the test classpath");
                }
                Files.createDirectories(target.getParent());
                Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return root.toAbsolutePath();
        }

        private String diagnostics() {
            return "---- " + dir.resolve("logs/server.log") + " (tail) ----\n" + tail(dir.resolve("logs/server.log"), 60)
                    + "---- " + dir.resolve("stdout.log") + " (tail) ----\n" + tail(dir.resolve("stdout.log"), 30);
        }

        private static String readClasspath() {
            Path file = locate("rnnstreams.broker.classpathFile", Paths.get("target", "broker-classpath.txt"),
                    Paths.get("..", "deploy", "local", ".cache", "broker-classpath.txt"));
            try {
                String cp = Files.readString(file).trim();
                if (cp.isEmpty()) {
                    throw new IllegalStateException("empty broker classpath file " + file);
                }
                for (String jar : cp.split(java.io.File.pathSeparator)) {
                    if (!Files.isRegularFile(Paths.get(jar))) {
                        throw new IllegalStateException("broker classpath file " + file + " names a missing jar " + jar
                                + "; delete it and run deploy/local/kafka.sh classpath " + file);
                    }
                }
                return cp;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Path locate(String property, Path... defaults) {
            String configured = System.getProperty(property);
            if (configured != null && !configured.isBlank()) {
                Path p = Paths.get(configured).toAbsolutePath().normalize();
                if (Files.isRegularFile(p)) {
                    return p;
                }
                throw new IllegalStateException(property + "=" + p + " does not exist"
                        + " (the build creates the broker classpath with: deploy/local/kafka.sh classpath FILE)");
            }
            for (Path d : defaults) {
                if (Files.isRegularFile(d)) {
                    return d.toAbsolutePath().normalize();
                }
            }
            throw new IllegalStateException("none of " + List.of(defaults) + " exists and " + property + " is not set"
                    + " (create the broker classpath with: deploy/local/kafka.sh classpath target/broker-classpath.txt)");
        }

        /**
         * workDir/kafka-n for the smallest n that is free. A directory left by an earlier run is
         * reused (deleted first) unless a live broker of a live test JVM still uses it; a broker
         * orphaned by a test JVM that died without its shutdown hook (kill -9) is killed.
         */
        private static synchronized Path newDirectory(Path workDir) {
            try {
                Files.createDirectories(workDir);
                for (int n = 1; ; n++) {
                    Path d = workDir.resolve("kafka-" + n).toAbsolutePath();
                    try {
                        Files.createDirectory(d);
                        return d;
                    } catch (java.nio.file.FileAlreadyExistsException exists) {
                        if (inUse(d)) {
                            continue;
                        }
                        deleteRecursively(d);
                        Files.createDirectory(d);
                        return d;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static boolean inUse(Path d) throws IOException {
            Path pidFile = d.resolve(PID_FILE);
            if (!Files.isRegularFile(pidFile)) {
                return false;
            }
            String[] ids = Files.readString(pidFile).trim().split("\\s+");
            Optional<ProcessHandle> broker = ProcessHandle.of(Long.parseLong(ids[0]))
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> {
                        String c = commandLineOf(h);
                        return c.contains("kafka.Kafka") && c.contains(d.toString());
                    });
            if (broker.isEmpty()) {
                return false;
            }
            boolean ownerAlive = ids.length > 1 && ProcessHandle.of(Long.parseLong(ids[1])).map(ProcessHandle::isAlive).orElse(false);
            if (ownerAlive) {
                return true;
            }
            System.out.println("KafkaBroker: killing orphaned broker pid " + broker.get().pid() + " in " + d);
            broker.get().destroyForcibly();
            broker.get().onExit().join();
            return false;
        }

        /**
         * The full command line: /proc/PID/cmdline where it exists (ProcessHandle.Info drops the
         * arguments of command lines longer than a page, and the broker's classpath is longer).
         */
        private static String commandLineOf(ProcessHandle h) {
            Path proc = Paths.get("/proc", Long.toString(h.pid()), "cmdline");
            try {
                if (Files.isReadable(proc)) {
                    return new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ');
                }
            } catch (IOException ignored) {
                // fall through
            }
            return h.info().commandLine().orElse("");
        }

        private static void deleteRecursively(Path d) throws IOException {
            try (Stream<Path> files = Files.walk(d)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                    Files.deleteIfExists(p);
                }
            } catch (NoSuchFileException ignored) {
                // gone already
            }
        }
    }

    /** Distinct free TCP ports on 127.0.0.1 (all held open until all are chosen). */
    static int[] freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (IOException e) {
            return "(" + file + " not readable: " + e + ")\n";
        }
    }

    // ------------------------------------------------------------------------------------ Testcontainers

    /**
     * {@code org.testcontainers.kafka.KafkaContainer} with the client port bound to a fixed, free host
     * port, so that a stop/start of the same container ({@link #restart()}) keeps both its data (the
     * container's file system) and the advertised address.
     */
    private static final class ContainerBackend implements Backend {

        private static final int CLIENT_PORT = 9092;

        private final int hostPort = freePorts(1)[0];
        private final FixedPortKafkaContainer container = new FixedPortKafkaContainer(hostPort);
        private long startMillis;

        static ContainerBackend create() {
            return new ContainerBackend();
        }

        static String dockerUnusableReason() {
            org.testcontainers.DockerClientFactory factory = org.testcontainers.DockerClientFactory.instance();
            if (!factory.isDockerAvailable()) {
                return "no Docker engine";
            }
            try {
                factory.client().inspectImageCmd(IMAGE).exec();
                return null;
            } catch (RuntimeException notFound) {   // NotFoundException when the image is not local
                return "Docker engine without the image " + IMAGE + " (docker pull " + IMAGE + " to use it)";
            }
        }

        @Override
        public void start() {
            long t0 = System.nanoTime();
            container.start();
            awaitReady(bootstrapServers(), READY_TIMEOUT, container::isRunning, container::getLogs);
            startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        }

        @Override
        public void startAgain() {
            long t0 = System.nanoTime();
            container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
            awaitReady(bootstrapServers(), READY_TIMEOUT, container::isRunning, container::getLogs);
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
            return "Testcontainers " + IMAGE + " container=" + shortId() + " bootstrap=" + bootstrapServers()
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
                super(IMAGE);
                addFixedExposedPort(hostPort, CLIENT_PORT);
                // test data carries historical event times as record timestamps: never delete by age
                withEnv("KAFKA_LOG_RETENTION_MS", "-1");
            }
        }
    }
}
