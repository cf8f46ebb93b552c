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

/**
 * kafka.Kafka in a child JVM of the test JVM, configured and formatted by {@link KRaftLauncher} (as
 * {@code deploy/local/kafka.sh} does) in workDir/kafka-n, and started through {@code KRaftLauncher exit-with-parent}
 * so that it dies with the test JVM.
 */
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
        Path classpathFile = classpathFile();
        classpath = readClasspath(classpathFile);
        log4j2 = locate("rnnstreams.broker.log4j2", Paths.get("..", "deploy", "local", "broker", "log4j2.xml"));
        dir = newDirectory(Paths.get(System.getProperty("rnnstreams.broker.workDir", "target")));
        List<String> options = new ArrayList<>(List.of("--dir", dir.toString(), "--classpath-file",
                classpathFile.toString(), "--log4j2", log4j2.toString()));
        if (saslUser != null) {
            options.addAll(List.of("--sasl-user", saslUser, "--sasl-password", saslPassword));
        }
        if (sslKeystore != null) {
            options.addAll(List.of("--ssl-keystore", sslKeystore.toString(), "--ssl-password", sslPassword));
        }
        long t0 = System.nanoTime();
        int[] ports = KRaftLauncher.configure(options);   // the same step as deploy/local/kafka.sh start
        brokerPort = ports[0];
        controllerPort = ports[1];
        saslPort = ports[2];
        sslPort = ports[3];
        properties = dir.resolve(KRaftLauncher.SERVER_PROPERTIES);
        launch();
        startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    @Override
    public void startAgain() {
        long t0 = System.nanoTime();
        launch();
        startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private void launch() {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExe.toString());
        cmd.addAll(List.of(System.getProperty("rnnstreams.broker.jvmOpts",
                "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1").trim().split("\\s+")));
        cmd.add("-Dkafka.logs.dir=" + dir.resolve("logs").toAbsolutePath());
        cmd.add("-Dlog4j2.configurationFile=" + log4j2);
        cmd.addAll(List.of("-cp", KRaftLauncher.install(dir) + java.io.File.pathSeparator + classpath,
                KRaftLauncher.class.getName(), "exit-with-parent", "kafka.Kafka", properties.toAbsolutePath().toString()));
        try {
            process = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)   // KRaftLauncher exits when it closes
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

    private String diagnostics() {
        return "---- " + dir.resolve("logs/server.log") + " (tail) ----\n" + KRaftLauncher.tail(dir.resolve("logs/server.log"), 60)
                + "---- " + dir.resolve("stdout.log") + " (tail) ----\n" + KRaftLauncher.tail(dir.resolve("stdout.log"), 30);
    }

    private static Path classpathFile() {
        return locate("rnnstreams.broker.classpathFile", Paths.get("target", "broker-classpath.txt"),
                Paths.get("..", "deploy", "local", ".cache", "broker-classpath.txt"));
    }

    private static String readClasspath(Path file) {
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
