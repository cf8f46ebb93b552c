package io.rnnstreams.it.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a Docker engine, over its Engine API ({@code GET /_ping}, {@code GET /images/{name}/json}) and within
 * {@link #TIMEOUT} per request, whether it answers and whether it holds an image, without Testcontainers and
 * without pulling anything. Testcontainers' first contact with an engine ({@code DockerClientFactory.client()},
 * which {@code isDockerAvailable()} calls) starts Ryuk, and where no registry is reachable and Ryuk's image is
 * missing it retries that pull for minutes; this probe lets the broker fixture decide first.
 *
 * <p>Endpoints tried, in order: {@code DOCKER_HOST} when it is {@code unix://PATH} or a {@code tcp://HOST:PORT}
 * without TLS ({@code DOCKER_TLS_VERIFY} unset), then the usual sockets: {@code /var/run/docker.sock},
 * {@code $XDG_RUNTIME_DIR/docker.sock} (rootless), {@code ~/.docker/run/docker.sock} (Docker Desktop).
 */
public final class DockerEngineProbe {

    /** Upper bound of one request (connect, write, status line). */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final String endpoint;
    private final SocketAddress address;

    private DockerEngineProbe(String endpoint, SocketAddress address) {
        this.endpoint = endpoint;
        this.address = address;
    }

    /** The first endpoint whose {@code GET /_ping} answers 200, or empty when none does. */
    public static Optional<DockerEngineProbe> locate() {
        for (DockerEngineProbe candidate : candidates()) {
            if (candidate.answers()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A probe of the engine listening on the Unix socket {@code socket}. */
    static DockerEngineProbe at(Path socket) {
        return new DockerEngineProbe("unix://" + socket, UnixDomainSocketAddress.of(socket));
    }

    /** True when {@code GET /_ping} answers 200 within {@link #TIMEOUT}. */
    boolean answers() {
        return status("/_ping") == 200;
    }

    /**
     * Where {@link #locate()} looked, for messages: "DOCKER_HOST unset, unix:///var/run/docker.sock (no such
     * socket), ...".
     */
    public static String describeCandidates() {
        List<String> places = new ArrayList<>();
        String dockerHost = System.getenv("DOCKER_HOST");
        places.add(dockerHost == null || dockerHost.isBlank() ? "DOCKER_HOST unset" : "DOCKER_HOST=" + dockerHost);
        for (Path socket : usualSockets()) {
            places.add("unix://" + socket + (Files.exists(socket) ? "" : " (no such socket)"));
        }
        return String.join(", ", places);
    }

    /** True when the engine holds {@code image} ("apache/kafka:4.3.1") locally. */
    public boolean hasImage(String image) {
        return status("/images/" + image + "/json") == 200;
    }

    /** "unix:///var/run/docker.sock" or "tcp://host:port". */
    public String endpoint() {
        return endpoint;
    }

    private static List<DockerEngineProbe> candidates() {
        List<DockerEngineProbe> found = new ArrayList<>();
        String dockerHost = System.getenv("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            URI uri = URI.create(dockerHost.trim());
            if ("unix".equals(uri.getScheme())) {
                addSocket(found, Path.of(uri.getPath()));
            } else if ("tcp".equals(uri.getScheme()) && System.getenv("DOCKER_TLS_VERIFY") == null) {
                found.add(new DockerEngineProbe(dockerHost,
                        InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort())));
            }
        }
        usualSockets().forEach(socket -> addSocket(found, socket));
        return found;
    }

    /** The engine's socket as installed by a package, rootless Docker, Docker Desktop. */
    private static List<Path> usualSockets() {
        List<Path> sockets = new ArrayList<>();
        sockets.add(Path.of("/var/run/docker.sock"));
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isBlank()) {
            sockets.add(Path.of(runtimeDir, "docker.sock"));
        }
        sockets.add(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
        return sockets;
    }

    private static void addSocket(List<DockerEngineProbe> found, Path socket) {
        String endpoint = "unix://" + socket;
        if (Files.exists(socket) && found.stream().noneMatch(c -> c.endpoint.equals(endpoint))) {
            found.add(at(socket));
        }
    }

    /** The HTTP status of {@code GET path}, or -1 when the engine does not answer within {@link #TIMEOUT}. */
    private int status(String path) {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "docker-engine-probe");
            t.setDaemon(true);
            return t;
        });
        Future<Integer> answer = thread.submit(() -> exchange(path));
        try {
            return answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            answer.cancel(true);   // a blocked channel read ends with ClosedByInterruptException
            thread.shutdownNow();
        }
    }

    private int exchange(String path) throws IOException {
        InetSocketAddress resolved = null;
        if (address instanceof InetSocketAddress inet) {
            resolved = new InetSocketAddress(inet.getHostString(), inet.getPort());
        }
        try (SocketChannel channel = resolved == null
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open()) {
            channel.connect(resolved == null ? address : resolved);
            String request = "GET " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n";
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(512);
            while (channel.read(in) >= 0) {
                in.flip();
                while (in.hasRemaining()) {
                    byte b = in.get();
                    if (b == '\n') {
                        return parseStatus(line.toString(StandardCharsets.US_ASCII));
                    }
                    line.write(b);
                }
                in.clear();
            }
            return -1;
        }
    }

    /** "HTTP/1.1 200 OK" -> 200; anything else -> -1. */
    static int parseStatus(String statusLine) {
        String[] parts = statusLine.trim().split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            return -1;
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
