package io.rnnstreams.it.broker;

import io.rnnstreams.config.RegistryEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real schema registry server for the tests: Apicurio Registry (the ready server from Maven Central that
 * {@code deploy/local/registry.sh install} unpacks), in-memory storage, run as a separate JVM on two free
 * loopback ports, the way {@link JvmBroker} runs the broker: through {@code KRaftLauncher exit-with-parent}, so
 * that it exits when the test JVM dies, even by SIGKILL, and with a shutdown hook.
 *
 * <p>The server's class files are for Java 21: {@link #start} returns empty, with the reason, when
 * {@code registry.sh java} finds no JDK >= 21 (a test then skips and prints it). It takes 8-40 s to start
 * on two loaded cores: tests share one through {@link #shared}.
 */
public final class RegistryServer implements AutoCloseable {
    /** How long the server may take to answer; it took up to 21 s on a loaded machine. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final String MAIN = "io.quarkus.bootstrap.runner.QuarkusEntryPoint";

    /** The server {@link #shared} started, or empty when none could run; null before the first call. */
    private static Optional<RegistryServer> shared;

    private final Process process;
    private final OutputStream stdinOfServer;
    private final Thread shutdownHook;
    private final Path dir;
    private final int port;
    private final long startMillis;

    private RegistryServer(Process process, Path dir, int port, long startMillis, Thread shutdownHook) {
        this.process = process;
        this.stdinOfServer = process.getOutputStream();
        this.dir = dir;
        this.port = port;
        this.startMillis = startMillis;
        this.shutdownHook = shutdownHook;
    }

    /**
     * Starts a server whose logs go to {@code workDir/registry-<pid>}, and waits until its
     * Confluent-compatible API answers.
     *
     * @return the running server, or empty when no JDK >= 21 is found (the reason is printed)
     * @throws IllegalStateException if the server cannot be installed, exits, or does not answer in time
     */
    public static Optional<RegistryServer> start(Path workDir) {
        Optional<Path> javaExe = java21();
        if (javaExe.isEmpty()) {
            System.out.println("RegistryServer: no JDK >= 21 found by deploy/local/registry.sh java (set "
                    + "REGISTRY_JAVA_HOME); the schema registry server cannot run, its tests are skipped");
            return Optional.empty();
        }
        Path server = serverDirectory();
        try {
            Path dir = Files.createDirectories(workDir.resolve("registry-" + ProcessHandle.current().pid()));
            int[] ports = KRaftLauncher.freePorts(2);
            List<String> cmd = new ArrayList<>(List.of(javaExe.get().toString(), "-Xmx256m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    // what quarkus-run.jar's manifest asks for when started with -jar
                    "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                    "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + ports[0],
                    "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + ports[1],
                    "-cp", KRaftLauncher.install(dir) + java.io.File.pathSeparator + server.resolve("quarkus-run.jar"),
                    KRaftLauncher.class.getName(), "exit-with-parent", MAIN));
            long t0 = System.nanoTime();
            Process process = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)   // KRaftLauncher exit-with-parent exits when it closes
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile()))
                    .start();
            Thread hook = new Thread(() -> stopProcess(process), "registry-server-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                awaitReady(process, dir, ports[0]);
            } catch (RuntimeException e) {
                stopProcess(process);
                Runtime.getRuntime().removeShutdownHook(hook);
                throw e;
            }
            RegistryServer ready = new RegistryServer(process, dir, ports[0], (System.nanoTime() - t0) / 1_000_000,
                    hook);
            System.out.println("RegistryServer: " + ready.describe());
            return Optional.of(ready);
        } catch (IOException e) {
            throw new UncheckedIOException("starting the registry server failed", e);
        }
    }

    /**
     * One server for every test class of this JVM (failsafe runs them in one), started by the first call and
     * stopped when the JVM exits (shutdown hook; {@code exit-with-parent} if it is killed): a class that uses it
     * pays the 10-40 s start only when it is the first. Test classes must use subjects of their own.
     *
     * @return the running server, or empty when no JDK >= 21 is found (the reason is printed once)
     */
    public static synchronized Optional<RegistryServer> shared() {
        if (shared == null) {
            shared = start(Paths.get(System.getProperty("rnnstreams.broker.workDir", "target")));
        }
        return shared;
    }

    /** The base URL, {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The base URL as the application's setting value. */
    public RegistryEndpoint endpoint() {
        return RegistryEndpoint.parse(url());
    }

    public String describe() {
        return "Apicurio Registry pid=" + process.pid() + " url=" + url() + " dir=" + dir + " ready in " + startMillis
                + " ms";
    }

    /** GET of a path of the Confluent-compatible API (e.g. {@code /subjects}): the status and the body. */
    public HttpResponse<String> confluentGet(String path) {
        return send(HttpRequest.newBuilder(URI.create(endpoint().confluentUrl() + path)).GET());
    }

    /** A request with a JSON body to the Confluent-compatible API. */
    public HttpResponse<String> confluentSend(String method, String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(endpoint().confluentUrl() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * HTTP/1.1, not the JDK client's default HTTP/2 (an h2c upgrade, which the server accepts): once in ~7,400
     * rounds of RegistrySerdeIT's calls a JDK 17 client thread was still inside its HTTP/2 header encoding 60 s
     * after a request with this 30 s timeout (docs/stream.md, branch reg19).
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            stdinOfServer.close();
        } catch (IOException ignored) {
            // already closed
        }
        stopProcess(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // the JVM is shutting down already; the hook runs anyway
        }
    }

    private static void awaitReady(Process process, Path dir, int port) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/apis/ccompat/v7/subjects"))
                .timeout(Duration.ofSeconds(5)).build();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the registry server exited with " + process.exitValue()
                        + " during start-up\n" + KRaftLauncher.tail(dir.resolve("registry.log"), 40));
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the registry server did not answer in " + READY_TIMEOUT.toSeconds()
                        + " s\n" + KRaftLauncher.tail(dir.resolve("registry.log"), 40));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static void stopProcess(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** {@code deploy/local/registry.sh java}: the java of a JDK >= 21, or empty (exit 4). */
    private static Optional<Path> java21() {
        List<String> out = script("java");
        return out.isEmpty() ? Optional.empty() : Optional.of(Paths.get(out.get(out.size() - 1).trim()));
    }

    /**
     * The unpacked server: the folder named in the file of {@code rnnstreams.registry.dirFile} (written by the
     * build's {@code registry.sh install FILE} step), else what {@code registry.sh install} prints.
     */
    private static Path serverDirectory() {
        String file = System.getProperty("rnnstreams.registry.dirFile");
        try {
            if (file != null && Files.isRegularFile(Paths.get(file))) {
                Path dir = Paths.get(Files.readString(Paths.get(file)).trim());
                if (Files.isRegularFile(dir.resolve("quarkus-run.jar"))) {
                    return dir;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> out = script("install");
        if (out.isEmpty()) {
            throw new IllegalStateException("deploy/local/registry.sh install failed (its output is above)");
        }
        return Paths.get(out.get(out.size() - 1).trim());
    }

    /** Runs {@code registry.sh COMMAND}; its standard output lines, or none when it fails. */
    private static List<String> script(String command) {
        Path script = Paths.get(System.getProperty("rnnstreams.registry.script",
                Paths.get("..", "deploy", "local", "registry.sh").toString())).toAbsolutePath().normalize();
        try {
            // its output goes to a file, not a pipe: reading a pipe to its end would wait for the script without
            // the bound below
            Path out = Files.createTempFile("registry-sh-" + command, ".out");
            try {
                Process p = new ProcessBuilder("bash", script.toString(), command)
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .redirectOutput(out.toFile()).start();
                if (!p.waitFor(15, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(script + " " + command + " did not finish in 15 minutes");
                }
                return p.exitValue() == 0
                        ? Files.readString(out, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList()
                        : List.of();
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("running " + script + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
