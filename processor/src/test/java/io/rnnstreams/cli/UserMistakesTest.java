package io.rnnstreams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.NetworkConfig;
import io.rnnstreams.stream.ModelFile;
import io.rnnstreams.stream.StateCodec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User mistakes found at the start of {@code run} end with exit 2 and one line naming the setting, not a
 * stack trace with exit 1 (issue 12 item 14). Each is found before any broker is contacted (none runs here).
 */
class UserMistakesTest {
    @TempDir
    Path tmp;

    private record Outcome(int code, String err) {
    }

    /** {@code rnn-streams run --set ...} with the real StreamsApp, at most 60 s. */
    private static Outcome run(String... sets) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--set", "bootstrap.servers=127.0.0.1:1"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        StringWriter err = new StringWriter();
        int code = CompletableFuture.supplyAsync(() -> new Main(StreamsApp::run, Map.of())
                .execute(new PrintWriter(new StringWriter()), new PrintWriter(err), args.toArray(String[]::new)))
                .get(60, TimeUnit.SECONDS);
        return new Outcome(code, err.toString());
    }

    private static void assertOneLine(Outcome o, String expected) {
        assertEquals(Main.INVALID, o.code(), o.err());
        assertTrue(o.err().contains(expected), o.err());
        assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
    }

    @Test
    void anApplicationIdKafkaCannotNameTopicsAfter() throws Exception {
        Outcome o = run("application.id=my app");
        assertOneLine(o, "application.id");
        assertTrue(o.err().contains("[a-zA-Z0-9._-]"), o.err());
        assertOneLine(run("application.id=" + "a".repeat(226)), "application.id");
    }

    @Test
    void aTakenHttpPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Outcome o = run("rnn.http.enabled=true", "rnn.http.bind=127.0.0.1", "rnn.http.port=" + taken.getLocalPort());
            assertOneLine(o, "rnn.http.bind/rnn.http.port: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void aModelInitFileOfAnotherShape() throws Exception {
        LearnerConfig small = LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(1).outputSize(1).hiddenSizes(4).build()).build();
        Path file = tmp.resolve("small.avro");
        ModelFile.write(file, StateCodec.modelState(new Model(small).exportState(), "test"), "test");
        Outcome o = run("rnn.learner=rnn", "rnn.model.init=" + file, "rnn.model.hidden=32");
        assertOneLine(o, "rnn.model.init: the model in " + file + " does not fit this configuration");
    }

    /** A model file under the default learner (the hybrid, which cannot warm-start): one line naming the fix. */
    @Test
    void aModelInitFileUnderTheDefaultHybrid() throws Exception {
        LearnerConfig plain = LearnerConfig.builder().build();
        Path file = tmp.resolve("plain.avro");
        ModelFile.write(file, StateCodec.modelState(new Model(plain).exportState(), "test"), "test");
        Outcome o = run("rnn.model.init=" + file);
        assertOneLine(o, "rnn.model.init=" + file + " (from --set) needs the plain RNN: rnn.learner is hybrid "
                + "(default), which cannot start from a plain RNN's model file; set rnn.learner=rnn to warm-start "
                + "from it, or unset rnn.model.init");
    }
}
