package io.rnnstreams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnn-streams replay} on the command line: options, exit codes and messages (no broker: dry runs). */
class ReplayCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int replay(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "replay";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Main(config -> {
            throw new AssertionError("replay must not run the application");
        }, Map.of()).execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
    }

    private Path csv(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private Path withBadRows() throws Exception {
        return csv("r.csv", "timestamp,sensor,x\n1,a,1\n2,a,oops\n3,a,3\n4,,4\n");
    }

    @Test
    void helpDocumentsTheLayoutsAndExitCodes() {
        assertEquals(0, replay("--help"));
        String help = out.toString();
        for (String part : new String[] {"Usage: rnn-streams replay", "FILE...", "--config=FILE", "--set=KEY=VALUE",
            "--topic=TOPIC", "--speed=X", "--wide-csv", "--sensor-id=NAME", "--fail-on-bad-rows", "--max-bad-rows=N",
            "--limit=N", "--dry-run", "--progress=MODE", "header timestamp,sensor,<channel>...",
            "(date,HUFL,...,OT)", "eventTime (long, timestamp-millis)", "retention.ms=-1",
            "3 bad rows with --fail-on-bad-rows"}) {
            assertTrue(help.contains(part), part + " in\n" + help);
        }
        assertTrue(help.lines().allMatch(l -> l.length() <= 80), "fits 80 columns:\n" + help);
    }

    @Test
    void dryRunPrintsTheSummaryAndReportsBadRows() throws Exception {
        Path file = withBadRows();
        assertEquals(0, replay("--dry-run", "--progress=none", file.toString()));
        assertEquals(String.join("\n",
                file + ":3: unparsable number \"oops\" in column x (3)",
                file + ":5: empty sensor id", ""), err.toString());
        assertTrue(out.toString().startsWith("replay (dry run) completed: 2 readings valid, nothing sent\n"
                + "  files:        " + file + " (CSV with a sensor column, 1 channel)\n"
                + "  rows read:    4\n"
                + "  bad rows:     2 (r.csv:3, r.csv:5)\n"
                + "  sensors:      1\n"), out.toString());
    }

    @Test
    void failOnBadRowsExitsWith3AfterReporting() throws Exception {
        Path file = withBadRows();
        assertEquals(3, replay("--dry-run", "--fail-on-bad-rows", "--progress=none", file.toString()));
        assertEquals(2, err.toString().lines().count(), err.toString());
        assertTrue(out.toString().startsWith("replay (dry run) failed: bad rows found (--fail-on-bad-rows): 2 readings"),
                out.toString());
    }

    @Test
    void maxBadRows() throws Exception {
        Path file = withBadRows();
        assertEquals(3, replay("--dry-run", "--max-bad-rows", "0", "--progress=none", file.toString()));
        assertEquals(1, err.toString().lines().count(), "stopped at the first bad row: " + err);
        assertTrue(out.toString().startsWith("replay (dry run) stopped: more bad rows than --max-bad-rows"),
                out.toString());
    }

    @Test
    void wideCsvWithSensorIdAndPlainProgress() throws Exception {
        Path file = csv("ETTh1.csv", "date,HUFL,OT\n2016-07-01 00:00:00,1,2\n2016-07-01 01:00:00,3,4\n");
        assertEquals(0, replay("--dry-run", "--sensor-id", "transformer-1", "--set", "rnn.model.channels=2",
                file.toString()));
        assertTrue(out.toString().contains(file + " (wide CSV, sensor transformer-1, 2 channels)"), out.toString());
        assertTrue(err.toString().startsWith("replay (dry run): 2 records, "), "a plain final progress line: " + err);
        assertEquals(1, err.toString().lines().count(), err.toString());
    }

    @Test
    void usageErrorsExitWith2() throws Exception {
        Path file = withBadRows();
        assertEquals(2, replay());
        assertTrue(err.toString().contains("Missing required parameter: 'FILE'"), err.toString());
        assertUsageError("--speed must be a number > 0, not 0.0", "--speed", "0", file.toString());
        assertUsageError("--speed must be a number > 0, not -1.0", "--speed=-1", file.toString());
        assertUsageError("--limit must be >= 0", "--limit=-1", file.toString());
        assertUsageError("--max-bad-rows must be >= 0", "--max-bad-rows=-2", file.toString());
        assertUsageError("--sensor-id must not be blank", "--sensor-id= ", file.toString());
        assertUsageError("Invalid value for option '--progress'", "--progress=loud", file.toString());
    }

    private void assertUsageError(String message, String... args) {
        err.getBuffer().setLength(0);
        assertEquals(2, replay(args), String.join(" ", args));
        assertTrue(err.toString().contains(message), message + " in " + err);
    }

    @Test
    void unusableInputFilesExitWith2BeforeSending() throws Exception {
        Path missing = dir.resolve("missing.csv");
        // no --dry-run: the files are checked before any connection is made
        assertEquals(2, replay("--set", "bootstrap.servers=127.0.0.1:1", missing.toString()));
        assertEquals("rnn-streams replay: " + missing + ": no such file\n", err.toString());
        err.getBuffer().setLength(0);
        Path file = withBadRows();
        assertEquals(2, replay("--dry-run", "--sensor-id", "x", file.toString()));
        assertEquals("rnn-streams replay: " + file + ": --sensor-id applies to wide CSV files only; this file has a "
                + "sensor column\n", err.toString());
    }

    @Test
    void theTopicComesFromTheConfigurationAndMustBeOne() throws Exception {
        Path file = withBadRows();
        assertEquals(2, replay("--set", "rnn.topic.input=a,b", file.toString()));
        assertEquals("rnn-streams replay: invalid configuration: rnn.topic.input lists 2 topics (a,b): choose the one "
                + "to write to with --topic\n", err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, replay("--set", "rnn.topic.input.pattern=sensor-.*", file.toString()));
        assertTrue(err.toString().contains("rnn.topic.input.pattern is set, which names no topic to write to: give one "
                + "with --topic"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, replay("--set", "rnn.model.hidden=0", "--dry-run", file.toString()));
        assertTrue(err.toString().startsWith("rnn-streams replay: invalid configuration: rnn.model.hidden"),
                err.toString());
    }
}
