package io.rnnstreams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.ConfigException;
import io.rnnstreams.config.Setting;
import io.rnnstreams.config.Settings;
import io.rnnstreams.model.CellType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit codes, messages, help, and the Application it starts. */
class MainTest {
    @TempDir
    Path dir;

    /** A fake application that records the configurations it was given. */
    private static final class FakeApplication implements Application {
        final List<AppConfig> received = new ArrayList<>();
        final int exitCode;
        final Exception failure;

        FakeApplication(int exitCode, Exception failure) {
            this.exitCode = exitCode;
            this.failure = failure;
        }

        @Override
        public int run(AppConfig config) throws Exception {
            received.add(config);
            if (failure != null) {
                throw failure;
            }
            return exitCode;
        }
    }

    /** The outcome of one command line. */
    private record Result(int code, String out, String err) {
    }

    private static Result run(Application app, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new Main(app, env).execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static Result run(String... args) {
        return run(new FakeApplication(0, null), Map.of(), args);
    }

    private Path file(String... lines) throws IOException {
        Path f = dir.resolve("app.properties");
        Files.write(f, List.of(lines), StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void runGivesTheParsedConfigToTheApplication() throws IOException {
        FakeApplication app = new FakeApplication(0, null);
        Path f = file("rnn.model.hidden=8", "rnn.model.channels=2", "bootstrap.servers=file:9092");
        Result r = run(app, Map.of("RNN_MODEL_CELL", "gru", "HOME", "/root"),
                "run", "--config", f.toString(), "--set", "rnn.model.hidden=24,12", "-s", "linger.ms=7");
        assertEquals(new Result(0, "", ""), r);
        assertEquals(1, app.received.size());
        AppConfig config = app.received.get(0);
        assertEquals(2, config.streamSettings().channels());
        assertEquals(CellType.GRU, config.learnerConfig().network().cellType());
        assertEquals(List.of(24, 12), config.get(Settings.MODEL_HIDDEN));
        assertEquals("file:9092", config.kafkaProperties().getProperty("bootstrap.servers"));
        assertEquals("7", config.kafkaProperties().getProperty("linger.ms"));
    }

    @Test
    void runWithoutAFileUsesDefaultsAndEnvironment() {
        FakeApplication app = new FakeApplication(0, null);
        Result r = run(app, Map.of("KAFKA_APPLICATION_ID", "env-app"), "run");
        assertEquals(0, r.code());
        assertEquals("env-app", app.received.get(0).kafkaProperties().getProperty("application.id"));
        assertEquals(AppConfig.defaults().streamSettings(), app.received.get(0).streamSettings());
    }

    @Test
    void theApplicationsExitCodeIsTheProcesses() {
        assertEquals(3, run(new FakeApplication(3, null), Map.of(), "run").code());
    }

    @Test
    void missingConfigFileExitsTwoWithAClearMessage() {
        FakeApplication app = new FakeApplication(0, null);
        Result r = run(app, Map.of(), "run", "--config", "missing.properties");
        assertEquals(new Result(2, "",
                "rnn-streams: invalid configuration: configuration file missing.properties does not exist\n"), r);
        assertEquals(List.of(), app.received);
    }

    @Test
    void invalidConfigurationListsEveryErrorWithoutAStackTrace() {
        FakeApplication app = new FakeApplication(0, null);
        Result r = run(app, Map.of("RNN_TRAIN_K1", "64"), "run", "--set", "rnn.model.cell=cnn",
                "--set", "rnn.model.hiden=3");
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertEquals("rnn-streams: invalid configuration (3 errors):\n"
                + "  - unknown setting 'rnn.model.hiden' (from --set); did you mean 'rnn.model.hidden'?\n"
                + "  - rnn.model.cell: invalid value 'cnn' (from --set): must be one of elman, gru, lstm\n"
                + "  - rnn.train.k1 (64) must be <= rnn.train.k2 (16): truncated BPTT trains every k1 readings on "
                + "a window of the last k2\n", r.err());
        assertEquals(List.of(), app.received);
    }

    @Test
    void aConfigExceptionFromTheApplicationExitsTwo() {
        Result r = run(new FakeApplication(0, new ConfigException("topic sensor-readings does not exist")),
                Map.of(), "run");
        assertEquals(new Result(2, "", "rnn-streams: invalid configuration: topic sensor-readings does not exist\n"),
                r);
    }

    @Test
    void aRuntimeFailureExitsOneWithTheCause() {
        Result r = run(new FakeApplication(0, new IllegalStateException("broker gone")), Map.of(), "run");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("rnn-streams: failed: java.lang.IllegalStateException: broker gone\n"),
                r.err());
        assertTrue(r.err().contains("\tat "), "the stack trace helps with runtime failures: " + r.err());
    }

    @Test
    void printConfigPrintsWithoutRunningAndHidesSecrets() {
        FakeApplication app = new FakeApplication(0, null);
        Result r = run(app, Map.of(), "run", "--print-config", "--set", "sasl.jaas.config=x required password=\"pw\";",
                "--set", "rnn.model.activation=relu");
        assertEquals(0, r.code());
        assertEquals(List.of(), app.received);
        String expected = AppConfig.load(null, Map.of(), List.of("sasl.jaas.config=x required password=\"pw\";",
                "rnn.model.activation=relu")).describe();
        assertEquals(expected, r.out());
        assertFalse(r.out().contains("\"pw\""), r.out());
        assertTrue(r.out().contains("[hidden]"), r.out());
        assertEquals("rnn-streams: warning: rnn.model.activation is ignored: only the elman cell uses it, "
                + "rnn.model.cell is gru\n", r.err());
    }

    @Test
    void helpListsTheCommandsAndTheOptionsOfRun() {
        Result top = run("--help");
        assertEquals(0, top.code());
        assertEquals("", top.err());
        for (String s : List.of("Usage: rnn-streams", "run", "settings", "--config", "--set", "--print-config",
                "--help", "--version")) {
            assertTrue(top.out().contains(s), s + " missing from\n" + top.out());
        }
        Result run = run("run", "--help");
        assertEquals(0, run.code());
        for (String s : List.of("Usage: rnn-streams run", "-c, --config=FILE", "-s, --set=KEY=VALUE",
                "--print-config", "-h, --help", "Exit codes: 0 stopped cleanly, 1 runtime failure, 2 invalid")) {
            assertTrue(run.out().contains(s), s + " missing from\n" + run.out());
        }
        assertEquals(run.out(), run("help", "run").out());
        Result settings = run("settings", "--help");
        assertTrue(settings.out().contains("-f, --format=FORMAT"), settings.out());
    }

    @Test
    void settingsPrintsEverySetting() {
        Result r = run("settings");
        assertEquals(0, r.code());
        assertEquals(Settings.table(), r.out());
        for (Setting<?> s : Settings.ALL) {
            assertTrue(r.out().contains("\n" + s.name() + " "), s.name() + " missing from\n" + r.out());
        }
        assertEquals(Settings.exampleProperties(), run("settings", "--format", "properties").out());
        assertEquals(Settings.markdown(), run("settings", "-f", "MARKDOWN").out());
    }

    @Test
    void versionPrintsTheProjectVersion() {
        Result r = run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("rnn-streams " + VersionProvider.projectVersion() + "\nKafka Streams 4.3.1\n"),
                r.out());
        assertNotNull(VersionProvider.projectVersion());
    }

    @Test
    void usageErrorsExitTwo() {
        Result unknownOption = run("run", "--conf", "x");
        assertEquals(2, unknownOption.code());
        assertTrue(unknownOption.err().startsWith("Unknown options: '--conf', 'x'\nPossible solutions: --config\n"),
                unknownOption.err());
        Result noCommand = run();
        assertEquals(2, noCommand.code());
        assertTrue(noCommand.err().startsWith("rnn-streams: missing command\nUsage: rnn-streams"), noCommand.err());
        Result badFormat = run("settings", "--format", "yaml");
        assertEquals(2, badFormat.code());
    }
}
