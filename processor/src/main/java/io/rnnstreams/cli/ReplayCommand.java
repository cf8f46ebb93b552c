package io.rnnstreams.cli;

import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.ConfigException;
import io.rnnstreams.config.Settings;
import io.rnnstreams.replay.Progress;
import io.rnnstreams.replay.ReplayException;
import io.rnnstreams.replay.ReplayOptions;
import io.rnnstreams.replay.ReplaySummary;
import io.rnnstreams.replay.Replayer;
import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code rnn-streams replay}: produces historical readings from files to the sensor topic. See {@link Replayer}. */
@Command(name = "replay", sortOptions = false,
        description = {"Read historical readings from CSV or Avro files and produce them to the sensor topic "
                + "(key = sensor id, value = Avro SensorReading, record timestamp = event time) with an idempotent "
                + "producer. Files are read in the order given. Bad rows are reported on stderr as FILE:LINE: reason "
                + "and skipped; a summary follows at the end.",
            "The Kafka connection (bootstrap.servers, security.protocol, ssl.*, sasl.*, producer.* ...) and the "
                + "topic (rnn.topic.input) come from the same configuration as 'run': defaults < --config file < "
                + "environment < --set."},
        footer = {"", "Input files:",
            "  CSV with a sensor column: header timestamp,sensor,<channel>..., then one",
            "  reading a row:",
            "      timestamp,sensor,temperature,pressure",
            "      2016-07-01T00:00:00Z,pump-7,21.5,1.013",
            "  Wide CSV (second column not named sensor, or --wide-csv), such as ETTh1",
            "  (date,HUFL,...,OT): the first column is the time, every other column a",
            "  channel; each row is one reading of the sensor --sensor-id (default: the",
            "  file name without extensions: ETTh1.csv gives ETTh1).",
            "  Timestamps: epoch milliseconds or ISO-8601: 2016-07-01T00:00:00Z,",
            "  2016-07-01T02:00:00+02:00, 2016-07-01 00:00:00 (no offset: UTC).",
            "  Values: decimal numbers; NaN and Inf are passed on (the processor",
            "  dead-letters them). Files ending in .gz are decompressed.",
            "  Avro object container files (recognised by their content): records with",
            "  fields sensor (string), eventTime (long, timestamp-millis), values (array",
            "  of double), optionally tags (map of string); other fields are ignored.",
            "  Bad rows (wrong column count, unparsable timestamp or number, empty value",
            "  or sensor id) are reported as FILE:LINE (Avro: FILE:RECORD-NUMBER).",
            "",
            "Record timestamps are the event times, and a topic with time-based",
            "retention (retention.ms, 7 days by default) soon deletes old ones: replay",
            "old data to a topic with retention.ms=-1 or message.timestamp.type=",
            "LogAppendTime. Replay warns when it sees the problem.",
            "",
            "Exit codes: 0 done, 1 send or read failure, 2 invalid configuration, usage",
            "or input file, 3 bad rows with --fail-on-bad-rows or more than",
            "--max-bad-rows, 130 interrupted.",
            "", "Examples:",
            "  rnn-streams replay --config rnn-streams.properties 2016.csv 2017.csv",
            "  rnn-streams replay --set bootstrap.servers=kafka:9092 --topic ett \\",
            "      --sensor-id transformer-1 --speed 3600 data/ett/ETTh1.csv",
            "  rnn-streams replay --dry-run --fail-on-bad-rows readings.avro"})
public final class ReplayCommand implements Callable<Integer> {
    /** How progress is shown (lower case: the command line's spelling). */
    enum ProgressOption { auto, terminal, plain, none }

    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Mixin
    private ConfigOptions configOptions;

    @Option(names = {"-t", "--topic"}, paramLabel = "TOPIC",
            description = "Topic to produce to. Default: rnn.topic.input (which must then name one topic).")
    private String topic;

    @Option(names = "--speed", paramLabel = "X",
            description = "Pace the records by event time at X times real time (1 = real time, 60 = a minute a "
                    + "second, 3600 = an hour a second); readings behind schedule (such as the start of a further "
                    + "file that begins earlier) go at once. Default: as fast as possible.")
    private Double speed;

    @Option(names = "--wide-csv",
            description = "Read every CSV file as wide (first column the time, the others channels of one sensor), "
                    + "even one whose second column is named sensor. Default: decided by each file's header.")
    private boolean wideCsv;

    @Option(names = "--sensor-id", paramLabel = "NAME",
            description = "Sensor id (record key) of the readings of wide CSV files. Default: the file name "
                    + "without extensions. Not allowed for files with their own sensor ids.")
    private String sensorId;

    @Option(names = "--fail-on-bad-rows",
            description = "Check every file before sending anything; if a row is bad, report every bad row, send "
                    + "nothing and exit with 3. Default: report bad rows, skip them and go on.")
    private boolean failOnBadRows;

    @Option(names = "--max-bad-rows", paramLabel = "N",
            description = "Stop with exit code 3 as soon as more than N rows were bad (records sent until then "
                    + "stay sent). Default: no limit.")
    private Long maxBadRows;

    @Option(names = "--limit", paramLabel = "N", description = "Send at most N records. Default: all.")
    private Long limit;

    @Option(names = "--dry-run",
            description = "Read and check the files, report bad rows and the summary, but connect to nothing "
                    + "and send nothing.")
    private boolean dryRun;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (a line updated in place on a terminal, else a line every 5 s), terminal, plain "
                    + "or none. Default: ${DEFAULT-VALUE}.")
    private ProgressOption progress = ProgressOption.auto;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Input files (CSV, wide CSV, Avro), in order.")
    private List<Path> files = new ArrayList<>();

    /** A replay command reading environment variables from {@code environment} (as {@code run} does). */
    public ReplayCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (speed != null && !(speed > 0 && !speed.isInfinite())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--speed must be a number > 0, not " + speed);
        }
        if (maxBadRows != null && maxBadRows < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-bad-rows must be >= 0");
        }
        if (limit != null && limit < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be >= 0");
        }
        if (sensorId != null && sensorId.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--sensor-id must not be blank");
        }
        AppConfig appConfig;
        String target;
        try {
            appConfig = configOptions.load(environment);
            target = dryRun ? topic : topic(appConfig);
        } catch (ConfigException e) {
            err.println("rnn-streams replay: " + e.getMessage());
            err.flush();
            return 2;
        }
        ReplayOptions.Builder options = ReplayOptions.builder()
                .failOnBadRows(failOnBadRows)
                .maxBadRows(maxBadRows == null ? -1 : maxBadRows)
                .limit(limit == null ? -1 : limit)
                .wideCsv(wideCsv)
                .sensorId(sensorId)
                .expectedChannels(appConfig.get(Settings.MODEL_CHANNELS))
                .dryRun(dryRun)
                .err(err)
                .progress(progressMode());
        if (speed != null) {
            options.speed(speed);
        }
        Replayer replayer = new Replayer(options.build());
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            replayer.stop();
            try {
                done.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rnn-streams-replay-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ReplaySummary summary = replayer.run(files, appConfig.kafkaProperties(), target);
            out.print(summary.format());
            out.flush();
            return summary.exitCode();
        } catch (ReplayException e) {
            if (e.partialSummary() != null) {
                out.print(e.partialSummary().format());
                out.flush();
            }
            err.println("rnn-streams replay: " + e.getMessage());
            err.flush();
            return e.exitCode();
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running
            }
        }
    }

    /** --topic, else the one topic of rnn.topic.input. */
    private String topic(AppConfig appConfig) {
        if (topic != null) {
            if (topic.isBlank()) {
                throw new ConfigException(List.of("--topic must not be blank"));
            }
            return topic;
        }
        if (appConfig.get(Settings.TOPIC_INPUT_PATTERN) != null) {
            throw new ConfigException(List.of("rnn.topic.input.pattern is set, which names no topic to write to: "
                    + "give one with --topic"));
        }
        List<String> topics = appConfig.get(Settings.TOPIC_INPUT);
        if (topics.size() != 1) {
            throw new ConfigException(List.of("rnn.topic.input lists " + topics.size() + " topics (" + String.join(",",
                    topics) + "): choose the one to write to with --topic"));
        }
        return topics.get(0);
    }

    private Progress.Mode progressMode() {
        switch (progress) {
            case terminal:
                return Progress.Mode.TERMINAL;
            case plain:
                return Progress.Mode.PLAIN;
            case none:
                return Progress.Mode.OFF;
            default:
                return onTerminal() ? Progress.Mode.TERMINAL : Progress.Mode.PLAIN;
        }
    }

    /**
     * Whether stderr is likely a terminal: {@link System#console()} is not null (Java 17 to 21), and on Java 22
     * and later, where a console exists even when redirected, {@code Console.isTerminal()} also says so.
     */
    static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console));
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }
}
