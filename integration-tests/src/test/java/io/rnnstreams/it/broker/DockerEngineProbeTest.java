package io.rnnstreams.it.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Engine API probe against a fake engine on a Unix socket: what it asks, what it concludes, how long it waits. */
class DockerEngineProbeTest {

    @TempDir
    Path dir;

    private FakeEngine engine;

    @AfterEach
    void stopEngine() throws IOException {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void asksPingAndImagePathsAndReadsTheStatus() throws Exception {
        engine = new FakeEngine(dir.resolve("docker.sock"), false, "/_ping", "/images/apache/kafka:4.3.1/json");
        DockerEngineProbe probe = DockerEngineProbe.at(dir.resolve("docker.sock"));

        assertTrue(probe.answers());
        assertTrue(probe.hasImage("apache/kafka:4.3.1"));
        assertFalse(probe.hasImage("local/kafka:4.3.1"));
        assertEquals(List.of("GET /_ping HTTP/1.1", "GET /images/apache/kafka:4.3.1/json HTTP/1.1",
                "GET /images/local/kafka:4.3.1/json HTTP/1.1"), engine.requestLines);
        assertEquals("unix://" + dir.resolve("docker.sock"), probe.endpoint());
    }

    @Test
    void anEngineThatNeverAnswersCostsOneTimeoutNotMinutes() throws Exception {
        engine = new FakeEngine(dir.resolve("docker.sock"), true);
        DockerEngineProbe probe = DockerEngineProbe.at(dir.resolve("docker.sock"));

        long t0 = System.nanoTime();
        boolean answered = assertTimeoutPreemptively(Duration.ofSeconds(10), probe::answers);
        long millis = (System.nanoTime() - t0) / 1_000_000;

        assertFalse(answered);
        assertTrue(millis >= DockerEngineProbe.TIMEOUT.toMillis() - 50 && millis < DockerEngineProbe.TIMEOUT.toMillis() + 1_000,
                "waited " + millis + " ms, the timeout is " + DockerEngineProbe.TIMEOUT.toMillis() + " ms");
    }

    @Test
    void noSocketIsNoEngineAtOnce() {
        DockerEngineProbe probe = DockerEngineProbe.at(dir.resolve("absent.sock"));
        long t0 = System.nanoTime();
        assertFalse(probe.answers());
        assertFalse(probe.hasImage("apache/kafka:4.3.1"));
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 1_000);
    }

    @Test
    void statusLines() {
        assertEquals(200, DockerEngineProbe.parseStatus("HTTP/1.1 200 OK\r"));
        assertEquals(404, DockerEngineProbe.parseStatus("HTTP/1.0 404 Not Found"));
        assertEquals(-1, DockerEngineProbe.parseStatus("SSH-2.0-OpenSSH_9.2"));
        assertEquals(-1, DockerEngineProbe.parseStatus("HTTP/1.1 abc"));
        assertEquals(-1, DockerEngineProbe.parseStatus(""));
    }

    /** Answers 200 for the given paths and 404 for any other, or (hung) accepts and never answers. */
    private static final class FakeEngine implements AutoCloseable {
        final List<String> requestLines = new CopyOnWriteArrayList<>();
        private final ServerSocketChannel server;
        private final List<SocketChannel> held = new CopyOnWriteArrayList<>();
        private final Thread thread;

        FakeEngine(Path socket, boolean hung, String... okPaths) throws IOException {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            thread = new Thread(() -> serve(hung, List.of(okPaths)), "fake-docker-engine");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(boolean hung, List<String> okPaths) {
            try {
                while (true) {
                    SocketChannel client = server.accept();
                    if (hung) {
                        held.add(client);
                        continue;
                    }
                    try (client) {
                        String line = readLine(client);
                        requestLines.add(line);
                        String path = line.split(" ")[1];
                        String status = okPaths.contains(path) ? "200 OK" : "404 Not Found";
                        client.write(ByteBuffer.wrap(("HTTP/1.1 " + status + "\r\nContent-Length: 2\r\n\r\n{}")
                                .getBytes(StandardCharsets.US_ASCII)));
                    }
                }
            } catch (IOException closed) {
                // the server socket was closed
            }
        }

        private static String readLine(SocketChannel client) throws IOException {
            StringBuilder line = new StringBuilder();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (client.read(one) > 0) {
                char c = (char) one.get(0);
                one.clear();
                if (c == '\n') {
                    break;
                }
                if (c != '\r') {
                    line.append(c);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (SocketChannel c : held) {
                c.close();
            }
        }
    }
}
