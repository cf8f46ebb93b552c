package io.rnnstreams.cli;

import io.rnnstreams.backtest.Anomaly;
import io.rnnstreams.backtest.Backtest;
import io.rnnstreams.backtest.BacktestOptions;
import io.rnnstreams.backtest.BacktestReport;
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
        out.printf("3/3 Backtesting %s (%s) over the topic...%n", settings.learner().network(), settings.scope());
        out.flush();
        BacktestReport report = Backtest.run(config, BacktestOptions.of(TOPIC)
                .withPlots(output.resolve("plots"), plotSensors)
                .withTimeout(Duration.ofMinutes(10)));
        out.println();
        out.println(report.table());
        printAnomalies(out, data, report);
        out.println();
        out.println("Plots:");
        report.plots().forEach(p -> out.println("  " + p.toAbsolutePath()));
        out.flush();
        return 0;
    }

    /** Every injected anomaly, and whether the score flagged it within the readings it affects (+3). */
    private void printAnomalies(PrintWriter out, DemoData data, BacktestReport report) {
        out.printf("Injected anomalies and what the anomaly score (threshold %.2f) made of them:%n",
                report.anomalyThreshold());
        int caught = 0;
        Set<Anomaly> explained = new java.util.HashSet<>();
        for (DemoData.Anomaly injected : data.anomalies()) {
            long span = (injected.kind().startsWith("spike") ? 3 : 27) * DemoData.STEP_MS;
            Anomaly first = null;
            for (Anomaly flagged : report.anomalies()) {
                if (flagged.sensor().equals(injected.sensor()) && flagged.eventTime() >= injected.eventTime()
                        && flagged.eventTime() <= injected.eventTime() + span) {
                    explained.add(flagged);
                    if (first == null) {
                        first = flagged;
                    }
                }
            }
            if (first != null) {
                caught++;
                out.printf("  %s %s at %s: caught at %s, score %.4f%n", injected.sensor(), injected.kind(),
                        Instant.ofEpochMilli(injected.eventTime()), Instant.ofEpochMilli(first.eventTime()),
                        first.score());
            } else {
                out.printf("  %s %s at %s: missed%n", injected.sensor(), injected.kind(),
                        Instant.ofEpochMilli(injected.eventTime()));
            }
        }
        long others = report.anomalies().stream().filter(a -> !explained.contains(a)).count();
        out.printf("Caught %d of %d injected anomalies; %d other readings flagged (of %,d scored).%n", caught,
                data.anomalies().size(), others, (long) data.sensors() * data.readings());
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
