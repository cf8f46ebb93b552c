package io.rnnstreams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 6: {@code run} with a broker nobody listens at fails within {@code default.api.timeout.ms} with
 * exit code 2 and a message naming {@code bootstrap.servers}, instead of retrying for ever.
 */
class UnreachableBrokerTest {
    @TempDir
    Path dir;

    @Test
    void runWithAnUnreachableBrokerFailsWithExitCode2() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String bootstrap = "127.0.0.1:" + port;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int code = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> new Main(StreamsApp::run, Map.of())
                .execute(new PrintWriter(out), new PrintWriter(err), "run", "--set", "bootstrap.servers=" + bootstrap,
                        "--set", "default.api.timeout.ms=5000", "--set", "request.timeout.ms=4000",
                        "--set", "state.dir=" + dir));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(Main.INVALID, code, err.toString());
        assertTrue(err.toString().contains("bootstrap.servers=" + bootstrap), err.toString());
        assertTrue(seconds < 30, "took " + seconds + " s");
    }
}
