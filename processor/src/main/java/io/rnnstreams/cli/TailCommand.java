package io.rnnstreams.cli;

import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.ConfigException;
import io.rnnstreams.config.Settings;
import io.rnnstreams.tail.Tail;
import io.rnnstreams.tail.TailOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rnn-streams tail}: prints predictions and dead letters ({@link Tail}).
 *
 * <p>Exit codes: 0 done, 1 Kafka failed or the topic is missing, 2 invalid configuration or options; stopped by a
 * signal while following, the consumer is closed first and the JVM exits 130 (SIGINT, Ctrl-C) or 143 (SIGTERM).
 */
@Command(name = "tail", sortOptions = false,
        description = {"Print the predictions (in whichever rnn.format.output they are written) and the dead "
                + "letters (with their reasons) as JSON lines or a table: from the start to the current end, or "
                + "following new records until Ctrl-C.",
            "The configuration is loaded as for run (defaults < --config < environment < --set): its "
                    + "bootstrap.servers, security settings, rnn.topic.predictions, rnn.topic.dead-letters, "
                    + "rnn.format.output and rnn.registry.url say what to read and how."},
        footer = {"", "JSON lines: {\"kind\": \"prediction\" | \"dead-letter\" | \"undecodable\", \"sensor\", \"topic\", "
                + "\"partition\", \"offset\", \"timestamp\", then \"prediction\": {the Prediction's fields} or "
                + "\"reason\", \"detail\", \"source\" or \"error\"} (README, Reading the predictions).",
            "", "Exit codes: 0 done, 1 Kafka failed or the topic is missing, 2 invalid configuration or options; "
                    + "Ctrl-C while following closes the consumer, then exits 130 (SIGTERM: 143).", "", "Examples:",
            "  rnn-streams tail --config rnn-streams.properties --format table",
            "  rnn-streams tail --config rnn-streams.properties --follow --sensor pump-7 | jq .prediction.forecast"})
public final class TailCommand implements Callable<Integer> {
    /** How long a Ctrl-C waits for the consumer to close. */
    private static final long STOP_WAIT_SECONDS = 10;

    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Mixin
    private ConfigOptions configOptions;

    @Option(names = "--sensor", paramLabel = "SENSOR", split = ",", description = "Only these sensors (record "
            + "keys), comma-separated or repeated. Default: every sensor.")
    private List<String> sensors = new ArrayList<>();

    @Option(names = {"-f", "--follow"}, description = "Keep printing new records until Ctrl-C (the consumer is closed, exit 130). "
            + "Default: stop at the end offsets seen at the start.")
    private boolean follow;

    @Option(names = "--from", paramLabel = "WHERE", description = "start (each partition's earliest record) or "
            + "end (only records written after the start; needs --follow). Default: start, or end with --follow.")
    private String from;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json", description = "json (one JSON object "
            + "per line) or table (aligned columns for people). Default: ${DEFAULT-VALUE}.")
    private String format;

    @Option(names = "--no-dead-letters", description = "Leave the dead-letter topic out.")
    private boolean noDeadLetters;

    @Option(names = "--max", paramLabel = "N", defaultValue = "0", description = "Stop after printing N records. "
            + "Default: 0 (no limit).")
    private long max;

    @Option(names = "--predictions-topic", paramLabel = "TOPIC", description = "Read this topic instead of "
            + "rnn.topic.predictions (e.g. a backtest's output topic).")
    private String predictionsTopic;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC", description = "Read this topic instead of "
            + "rnn.topic.dead-letters.")
    private String deadLetterTopic;

    @Option(names = "--lagged-topic", paramLabel = "TOPIC", description = "Also read the lagged outputs of this "
            + "topic (e.g. a backtest's <output-topic>-lagged). Default: rnn.topic.lagged when rnn.smoothing.lag > 0, "
            + "else none.")
    private String laggedTopic;

    @Option(names = "--no-lagged", description = "Leave the lagged outputs out.")
    private boolean noLagged;

    /** The command with the process environment. */
    public TailCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Tail tail;
        try {
            AppConfig config = configOptions.load(environment, err);
            TailOptions options = new TailOptions(
                    predictionsTopic != null ? predictionsTopic : config.get(Settings.TOPIC_PREDICTIONS),
                    noDeadLetters ? null
                            : deadLetterTopic != null ? deadLetterTopic : config.get(Settings.TOPIC_DEAD_LETTERS),
                    Set.copyOf(sensors), fromStart(), follow, output(), max, noLagged ? null
                            : laggedTopic != null ? laggedTopic : config.streamSettings().smoothing().on()
                            ? config.streamSettings().smoothing().laggedTopic() : null);
            Map<String, Object> consumer = consumerConfig(config.kafkaProperties());
            tail = new Tail(consumer, config.streamSettings().formats(), options);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("rnn-streams: " + e.getMessage());
            err.flush();
            return Main.INVALID;
        }
        CountDownLatch done = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            tail.stop();
            try {
                done.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rnn-streams-tail-stop");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            tail.run(out, err);
            return Main.OK;
        } catch (IllegalStateException | KafkaException e) {
            err.println("rnn-streams: tail failed: " + e.getMessage());
            return Main.FAILURE;
        } finally {
            done.countDown();
            out.flush();
            err.flush();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException e) {
                // the JVM is shutting down (Ctrl-C): the hook is running
            }
        }
    }

    /**
     * The consumer settings among the configuration's Kafka settings: the consumer's own names (bootstrap servers,
     * security, ...), then those given with a {@code consumer.} prefix over them. Not through
     * {@code StreamsConfig}, which logs warnings to standard output, where the JSON lines go.
     */
    static Map<String, Object> consumerConfig(java.util.Properties kafka) {
        Map<String, Object> consumer = new java.util.HashMap<>();
        for (String name : kafka.stringPropertyNames()) {
            if (ConsumerConfig.configNames().contains(name)) {
                consumer.put(name, kafka.getProperty(name));
            }
        }
        for (String name : kafka.stringPropertyNames()) {
            String bare = name.startsWith("consumer.") ? name.substring("consumer.".length()) : null;
            if (bare != null && ConsumerConfig.configNames().contains(bare)) {
                consumer.put(bare, kafka.getProperty(name));
            }
        }
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "rnn-streams-tail");
        return consumer;
    }

    private boolean fromStart() {
        if (from == null) {
            return !follow;
        }
        return switch (from.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "start" -> true;
            case "end" -> false;
            default -> throw new IllegalArgumentException("--from must be start or end, got '" + from + "'");
        };
    }

    private TailOptions.Output output() {
        return switch (format.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "json" -> TailOptions.Output.JSON;
            case "table" -> TailOptions.Output.TABLE;
            default -> throw new IllegalArgumentException("--format must be json or table, got '" + format + "'");
        };
    }
}
