package io.rnnstreams.it.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;

/** kafka.Kafka in a child JVM; storage formatted once; logs and data under workDir/kafka-n. */
final class JvmBroker implements BrokerBackend {

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
        int[] ports = KafkaBroker.freePorts(4);
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
                throw new IllegalStateException("kafka.tools.StorageTool format did not finish in 120 s\n" + KafkaBroker.tail(out, 40));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("kafka.tools.StorageTool format exited with " + p.exitValue() + "\n" + KafkaBroker.tail(out, 40));
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
            BrokerAdmin.awaitReady(bootstrapServers(), READY_TIMEOUT, process::isAlive, this::diagnostics);
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
        return "---- " + dir.resolve("logs/server.log") + " (tail) ----\n" + KafkaBroker.tail(dir.resolve("logs/server.log"), 60)
                + "---- " + dir.resolve("stdout.log") + " (tail) ----\n" + KafkaBroker.tail(dir.resolve("stdout.log"), 30);
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
