package io.rnnstreams.cli;

import io.rnnstreams.backtest.Anomaly;
import io.rnnstreams.backtest.Backtest;
import io.rnnstreams.backtest.BacktestOptions;
import io.rnnstreams.backtest.BacktestReport;
import io.rnnstreams.backtest.LabelWindows;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.demo.DemoData;
import io.rnnstreams.replay.ReplayOptions;
import io.rnnstreams.replay.ReplaySummary;
import io.rnnstreams.replay.Replayer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rnn-streams demo}: generates a multi-sensor data set with injected anomalies ({@link DemoData}),
 * replays it to a topic of a running broker, backtests the processor over it, and prints the summary, the
 * anomalies caught and missed, and where the plots are. {@code deploy/local/demo.sh} starts the broker
 * around it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Stream a generated data set with injected anomalies through the processor on a running "
                + "broker (bootstrap.servers) and print how it did. deploy/local/demo.sh starts a local broker "
                + "and runs this."})
public final class DemoCommand implements Callable<Integer> {
    static final String TOPIC = "demo-readings";
    /** Readings after an injected anomaly's start within which its alarm counts. */
    static final int IN_TIME = 2;

    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions configOptions;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "target/demo",
            description = "Where the data set and the plots go. Default: ${DEFAULT-VALUE}.")
    private Path output;

    @Option(names = "--sensors", defaultValue = "12", description = "Sensors. Default: ${DEFAULT-VALUE}.")
    private int sensors;

    @Option(names = "--readings", defaultValue = "3000",
            description = "Readings per sensor, one every 5 minutes. Default: ${DEFAULT-VALUE}.")
    private int readings;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the data set. Default: ${DEFAULT-VALUE}.")
    private long seed;

    public DemoCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        AppConfig config = configOptions.load(environment, List.of(
                "rnn.topic.input=" + TOPIC,
                "rnn.topic.predictions=demo-predictions",
                "rnn.topic.dead-letters=demo-dead-letters",
                "rnn.model.channels=1",
                "application.id=rnn-streams-demo"));
        StreamSettings settings = config.streamSettings();
        Files.createDirectories(output);

        DemoData data = new DemoData(sensors, readings, seed);
        Path csv = output.resolve("demo-readings.csv");
        data.writeCsv(csv);
        out.printf("1/3 Generated %d sensors x %,d readings (5-minute steps from %s) with %d injected anomalies: %s%n",
                sensors, readings, Instant.ofEpochMilli(DemoData.START_MS), data.anomalies().size(), csv);
        out.flush();

        Properties kafka = config.kafkaProperties();
        createTopic(kafka, TOPIC, 4);
        ReplaySummary replay = Replayer.replay(List.of(csv), kafka, TOPIC, ReplayOptions.builder().build());
        out.printf("2/3 Replayed to topic %s: %s%n", TOPIC, replay);
        out.flush();

        Set<String> plotted = new LinkedHashSet<>();
        data.anomalies().forEach(a -> plotted.add(a.sensor()));
        List<String> plotSensors = new ArrayList<>(plotted).subList(0, Math.min(3, plotted.size()));
        out.printf("3/3 Backtesting %s (%s) over the topic...%n", settings.learnerChoice().hybrid()
                ? "the hybrid learner (the classical combination and " + settings.modelConfig().network() + ")"
                : settings.learner().network(), settings.scope());
        out.flush();
        BacktestReport report = Backtest.run(config, BacktestOptions.of(TOPIC)
                .withPlots(output.resolve("plots"), plotSensors)
                .withAnomalyThreshold(settings.anomaly().threshold())
                .withLabels(labels(data))
                .withTimeout(Duration.ofMinutes(10)));
        out.println();
        out.println(report.table());
        printAlarms(out, data, report, settings.anomaly().threshold());
        out.println();
        out.println("Plots:");
        report.plots().forEach(p -> out.println("  " + p.toAbsolutePath()));
        out.flush();
        return 0;
    }

    /** The injected anomalies as labelled windows: a spike's reading, a level shift's 24 readings. */
    static LabelWindows labels(DemoData data) {
        Map<String, List<LabelWindows.Window>> windows = new java.util.TreeMap<>();
        for (DemoData.Anomaly a : data.anomalies()) {
            long end = a.eventTime() + (a.kind().startsWith("spike") ? 0 : 23 * DemoData.STEP_MS);
            windows.computeIfAbsent(a.sensor(), k -> new ArrayList<>()).add(new LabelWindows.Window(a.eventTime(), end));
        }
        return LabelWindows.of(windows);
    }

    /**
     * The alarms the stream raised (the predictions' {@code anomaly} flag, {@link io.rnnstreams.backtest.SensorSeries#alarms},
     * by the detector's own rule: the score at or above {@code rnn.anomaly.threshold} while the key's alarm is armed,
     * with a lone forecast-error spike confirmed, re-armed after {@code rnn.anomaly.quiet} readings below it, and
     * the re-alarms of an event that escalates or changes: {@link io.rnnstreams.eval.detection.AlarmGate}): per
     * injected anomaly the first alarm within {@value #IN_TIME} readings of it, then every other alarm.
     */
    static void printAlarms(PrintWriter out, DemoData data, BacktestReport report, double threshold) {
        List<Anomaly> alarms = new ArrayList<>();
        for (var sensor : report.sensors()) {
            var series = sensor.series();
            boolean[] raised = series.alarms();
            for (int t = 0; t < raised.length; t++) {
                if (raised[t]) {
                    alarms.add(new Anomaly(series.sensor(), series.eventTimes()[t], series.anomalyScores()[t]));
                }
            }
        }
        out.printf("Injected anomalies and the stream's alarms (Prediction.anomaly at rnn.anomaly.threshold %s: "
                + "one per event unless it escalates or changes, a lone error spike only when confirmed):%n", threshold);
        int caught = 0;
        Set<Anomaly> explained = new java.util.HashSet<>();
        for (DemoData.Anomaly injected : data.anomalies()) {
            Anomaly first = null;
            for (Anomaly alarm : alarms) {
                if (alarm.sensor().equals(injected.sensor()) && alarm.eventTime() >= injected.eventTime()
                        && alarm.eventTime() <= injected.eventTime() + IN_TIME * DemoData.STEP_MS) {
                    explained.add(alarm);
                    if (first == null) {
                        first = alarm;
                    }
                }
            }
            if (first != null) {
                caught++;
                out.printf("  %s %s at %s: alarm %d readings after its start, score %.6f%n", injected.sensor(),
                        injected.kind(), Instant.ofEpochMilli(injected.eventTime()),
                        (first.eventTime() - injected.eventTime()) / DemoData.STEP_MS, first.score());
            } else {
                out.printf("  %s %s at %s: no alarm within %d readings%n", injected.sensor(), injected.kind(),
                        Instant.ofEpochMilli(injected.eventTime()), IN_TIME);
            }
        }
        List<Anomaly> others = alarms.stream().filter(a -> !explained.contains(a)).toList();
        out.printf("Alarmed %d of %d injected anomalies within %d readings; %d other alarms (of %,d readings)%s%n",
                caught, data.anomalies().size(), IN_TIME, others.size(), (long) data.sensors() * data.readings(),
                others.isEmpty() ? "." : ":");
        for (Anomaly a : others) {
            out.printf("  %s at %s, score %.6f%n", a.sensor(), Instant.ofEpochMilli(a.eventTime()), a.score());
        }
    }

    private static void createTopic(Properties kafka, String topic, int partitions) throws Exception {
        Properties adminProps = new Properties();
        for (String key : kafka.stringPropertyNames()) {
            if (AdminClientConfig.configNames().contains(key)) {
                adminProps.setProperty(key, kafka.getProperty(key));
            }
        }
        try (Admin admin = Admin.create(adminProps)) {
            // the readings are stamped with their (historical) event times: keep them whatever their age
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)
                    .configs(Map.of("retention.ms", "-1")))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
