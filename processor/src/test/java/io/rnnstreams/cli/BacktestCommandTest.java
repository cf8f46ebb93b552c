package io.rnnstreams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.backtest.BacktestException;
import io.rnnstreams.backtest.BacktestOptions;
import io.rnnstreams.backtest.BacktestReport;
import io.rnnstreams.eval.ErrorSummary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line: options, defaults and exit codes (the backtest itself replaced by a stub). */
class BacktestCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicReference<BacktestOptions> seen = new AtomicReference<>();

    private int run(BacktestCommand.Runner runner, String... args) {
        CommandLine cl = new CommandLine(new BacktestCommand(Map.of(), runner));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private BacktestReport stub(io.rnnstreams.config.AppConfig config, BacktestOptions options) {
        seen.set(options);
        return new BacktestReport(options.inputTopic(), options.outputTopic(), 8, 0.99, List.of(),
                ErrorSummary.empty(1), ErrorSummary.empty(1), List.of(), List.of(), 0, 0, 0, 0, "THE TABLE\n");
    }

    @Test
    void defaults() {
        assertEquals(0, run(this::stub, "--input-topic", "readings"));
        assertEquals("THE TABLE\n", out.toString());
        BacktestOptions o = seen.get();
        assertEquals("readings-backtest-predictions", o.outputTopic());
        assertEquals("readings-backtest-predictions-dead-letters", o.deadLetterTopic());
        assertEquals(0.9999, o.anomalyThreshold());
        assertEquals(null, o.labels());
        assertEquals(Duration.ofMinutes(10), o.timeout());
        assertEquals(8, o.arOrder());
        assertNull(o.plotDir());
        assertEquals(List.of(), o.plotSensors());
    }

    @Test
    void everyOption() {
        assertEquals(0, run(this::stub, "--input-topic", "in", "--output-topic", "out", "--plot", "charts",
                "--plot-sensors", "a,b", "--anomaly-threshold", "0.9", "--timeout", "PT90S", "--ar-order", "4",
                "--set", "rnn.model.hidden=8", "--dead-letter-topic", "dlq"));
        BacktestOptions o = seen.get();
        assertEquals("out", o.outputTopic());
        assertEquals("dlq", o.deadLetterTopic());
        assertEquals(Path.of("charts"), o.plotDir());
        assertEquals(List.of("a", "b"), o.plotSensors());
        assertEquals(0.9, o.anomalyThreshold());
        assertEquals(Duration.ofSeconds(90), o.timeout());
        assertEquals(4, o.arOrder());
        assertEquals(0, run(this::stub, "--input-topic", "in", "--timeout", "2h"));
        assertEquals(Duration.ofHours(2), seen.get().timeout());
    }

    @Test
    void invalidConfigurationOrOptionsExitWith2() {
        assertEquals(2, run(this::stub, "--input-topic", "in", "--set", "rnn.model.hiden=8"));
        assertTrue(err.toString().contains("rnn.model.hiden"), err.toString());
        assertEquals(2, run(this::stub));
        assertEquals(2, run(this::stub, "--input-topic", "in", "--anomaly-threshold", "1.5"));
        assertEquals(2, run(this::stub, "--input-topic", "in", "--timeout", "soon"));
        assertEquals(2, run(this::stub, "--input-topic", "in", "--output-topic", "in"));
        assertEquals(2, run(this::stub, "--input-topic", "bad topic"));
        assertNull(seen.get(), "never ran");
    }

    @Test
    void aFailedBacktestExitsWith1() {
        assertEquals(1, run((c, o) -> {
            throw new TimeoutException("the backtest did not process the whole input in time");
        }, "--input-topic", "in"));
        assertTrue(err.toString().contains("did not process the whole input in time"), err.toString());
        assertEquals(1, run((c, o) -> {
            throw new BacktestException("topic in does not exist", null);
        }, "--input-topic", "in"));
    }

    @Test
    void registeredInTheMainCommand() {
        StringWriter o = new StringWriter();
        int code = new Main(c -> 0, Map.of()).execute(new PrintWriter(o), new PrintWriter(new StringWriter()),
                "backtest", "--help");
        assertEquals(0, code);
        assertTrue(o.toString().contains("--input-topic"), o.toString());
        assertTrue(o.toString().contains("--anomaly-threshold"), o.toString());
    }
}
