package io.rnnstreams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Command-line errors never echo a secret value (picocli echoes unmatched arguments as they were given). */
class SecretArgumentsTest {
    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new Main(config -> 0, Map.of()).execute(new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void aMistypedOptionBeforeASecretDoesNotEchoIt() {
        String[] r = run("run", "--sett", "sasl.jaas.config=x.Login required username=\"u\" password=\"PW-1\";");
        assertEquals("2", r[0]);
        assertFalse(r[1].contains("PW-1") || r[2].contains("PW-1"), r[2]);
        assertTrue(r[2].startsWith("Unknown options: '--sett', 'sasl.jaas.config=[hidden]'\n"), r[2]);
        assertTrue(r[2].contains("Possible solutions: --set"), r[2]);
    }

    @Test
    void aForgottenEqualsSignDoesNotEchoTheSecret() {
        String[] r = run("run", "--set", "ssl.truststore.password", "PW-2");
        assertEquals("2", r[0]);
        assertFalse(r[2].contains("PW-2"), r[2]);
        assertTrue(r[2].startsWith("Unmatched argument at index 3: '[hidden]'\n"), r[2]);
        assertTrue(r[2].contains("Usage: rnn-streams run"), "usage still follows: " + r[2]);
    }

    @Test
    void otherUsageErrorsAreUnchanged() {
        String[] r = run("run", "--sett", "rnn.model.hidden=8");
        assertEquals("2", r[0]);
        assertEquals(List.of("Unknown options: '--sett', 'rnn.model.hidden=8'", "Possible solutions: --set"),
                r[2].lines().toList());
    }
}
