package io.rnnstreams.backtest;

import io.rnnstreams.avro.LaggedOutput;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.ConfigException;
import io.rnnstreams.config.Smoothing;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.config.ValueFormats;
import io.rnnstreams.config.WireFormat;
import io.rnnstreams.model.NativeBlasCheck;
import io.rnnstreams.stream.ForecastTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a sensor topic through the forecasting topology and scores the result against an online AR
 * baseline and persistence.
 *
 * <ol>
 *   <li>Runs {@link ForecastTopology} with the configuration's model and stream settings, but reading only
 *       {@link BacktestOptions#inputTopic()}, writing predictions to {@link BacktestOptions#outputTopic()} and
 *       dead letters to {@link BacktestOptions#deadLetterTopic()} (both created, with the input's partition
 *       count, if missing), under a fresh {@code application.id} {@code rnn-backtest-<random UUID>}, so it
 *       starts from the earliest offsets, and a temporary state directory.</li>
 *   <li>The input is the topic as of the start: its last stable offsets are taken first and the records up
 *       to them read ({@code read_committed}). The run is complete when the application's consumer group has
 *       committed, on every partition, past the last of those records (Admin
 *       {@code listConsumerGroupOffsets}); then Kafka Streams is closed, leaving the group.</li>
 *   <li>The predictions written since the start are read back ({@code read_committed}) and analysed by
 *       {@link BacktestAnalysis}.</li>
 *   <li>At the end, also after a failure: the backtest's consumer group and internal topics
 *       ({@code <application.id>-*}), if Kafka Streams was started, and its state directory are deleted.
 *       The output and dead-letter topics are kept.</li>
 * </ol>
 * The whole run is bounded by {@link BacktestOptions#timeout()}.
 */
public final class Backtest {
    private static final Logger LOG = LoggerFactory.getLogger(Backtest.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    private Backtest() {
    }

    /**
     * Runs one backtest.
     *
     * @param config  the application's configuration: bootstrap servers, security, model and stream settings
     *                ({@code rnn.topic.*} and {@code application.id} are replaced as described above)
     * @param options what to replay and report
     * @return the figures, anomalies, charts and the printable table
     * @throws ConfigException    if the settings cannot be combined with the options (e.g. topic clashes)
     * @throws TimeoutException   if the input is not processed and read back within the timeout
     * @throws BacktestException  if Kafka Streams or an Admin call fails, or the input topic does not exist
     * @throws IOException        if the state directory or a chart cannot be written
     */
    public static BacktestReport run(AppConfig config, BacktestOptions options) throws IOException,
            InterruptedException, TimeoutException {
        StreamSettings settings = backtestSettings(config.streamSettings(), options);
        Instant started = Instant.now();
        Instant deadline = started.plus(options.timeout());
        String applicationId = "rnn-backtest-" + UUID.randomUUID();
        NativeBlasCheck.verify();
        Path stateDir = Files.createTempDirectory("rnn-backtest-");
        try {
            Properties props = ForecastTopology.streamsProperties(settings, config.kafkaProperties());
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            return run(props, settings, options, applicationId, started, deadline);
        } finally {
            deleteRecursively(stateDir);
        }
    }

    private static BacktestReport run(Properties props, StreamSettings settings, BacktestOptions options,
                                      String applicationId, Instant started, Instant deadline)
            throws IOException, InterruptedException, TimeoutException {
        StreamsConfig streamsConfig = new StreamsConfig(props);
        Map<String, Object> readerConfig = streamsConfig.getGlobalConsumerConfigs(applicationId + "-reader");
        Map<String, Object> adminConfig = streamsConfig.getAdminConfigs(applicationId + "-admin");
        try (BacktestAdmin admin = new BacktestAdmin(adminConfig, deadline)) {
            boolean launched = false;
            try {
                List<TopicPartition> in = admin.partitions(options.inputTopic());
                List<String> outputs = new ArrayList<>(List.of(options.outputTopic(), options.deadLetterTopic()));
                String laggedTopic = settings.smoothing().on() ? settings.smoothing().laggedTopic() : null;
                if (laggedTopic != null) {
                    outputs.add(laggedTopic);
                }
                admin.createIfMissing(outputs, in.size());
                List<TopicPartition> out = admin.partitions(options.outputTopic());
                Map<TopicPartition, Long> outStart = admin.offsets(out, true);
                List<TopicPartition> laggedPartitions = laggedTopic == null ? List.of() : admin.partitions(laggedTopic);
                Map<TopicPartition, Long> laggedStart = laggedTopic == null ? Map.of()
                        : admin.offsets(laggedPartitions, true);
                KeyedRecords<SensorReading, Reading> inputs = KeyedRecords.inputs();
                Map<TopicPartition, Long> lastInput = TopicReader.read(readerConfig, admin.offsets(in, false),
                        admin.offsets(in, true), deadline, inputs);
                LOG.info("Backtest {}: replaying {} records of {} ({} sensors) -> {}", applicationId,
                        inputs.records(), options.inputTopic(), inputs.bySensor().size(), options.outputTopic());
                Map<TopicPartition, Long> required = new HashMap<>();
                lastInput.forEach((tp, offset) -> required.put(tp, offset + 1));
                if (!required.isEmpty()) {
                    launched = true;
                    process(props, settings, admin, applicationId, required);
                }
                KeyedRecords<Prediction, PredictionPoint> predictions = KeyedRecords.predictions();
                TopicReader.read(readerConfig, outStart, admin.offsets(out, true), deadline, predictions);
                KeyedRecords<LaggedOutput, LaggedRecords.Point> lagged = null;
                if (laggedTopic != null) {
                    lagged = KeyedRecords.lagged();
                    TopicReader.read(readerConfig, laggedStart, admin.offsets(laggedPartitions, true), deadline, lagged);
                }
                BacktestReport report = new BacktestAnalysis(settings.channels(), settings.maxAbsValue(), options)
                        .analyse(inputs.bySensor(), predictions.bySensor(), lagged == null ? null : lagged.bySensor(),
                                inputs.records(), inputs.unusable());
                LOG.info("Backtest {} done in {} s", applicationId,
                        Duration.between(started, Instant.now()).toMillis() / 1000.0);
                return report;
            } catch (ExecutionException e) {
                throw new BacktestException("a Kafka Admin call failed: " + e.getCause(), e.getCause());
            } finally {
                List<String> left = launched ? admin.deleteApplication(applicationId) : List.of();
                if (!left.isEmpty()) {
                    LOG.warn("Backtest {}: could not delete {}", applicationId, left);
                }
            }
        }
    }

    /**
     * The configuration's settings, reading only the options' input topic and writing to its output topics in
     * the single-object encoding, which the backtest reads back itself (whatever {@code rnn.format.output} says:
     * with {@code json} or {@code registry} every prediction would have been undecodable to it); every other
     * component is copied as it is (through the record's canonical constructor, so components added to
     * {@link StreamSettings} later are carried over too).
     *
     * @throws ConfigException if the combination is invalid (e.g. a topic clash)
     */
    static StreamSettings backtestSettings(StreamSettings s, BacktestOptions o) {
        StreamSettings b = s.withTopics(o.inputTopic(), o.outputTopic(), o.deadLetterTopic())
                .withFormats(new ValueFormats(s.formats().input(), WireFormat.SINGLE_OBJECT, s.formats().registry()));
        // the lagged outputs next to the backtest's predictions, never to the configured (live) lagged topic
        return s.smoothing().on() ? b.withSmoothing(new Smoothing(s.smoothing().lag(),
                Smoothing.defaultTopic(o.outputTopic()))) : b;
    }

    private static void process(Properties props, StreamSettings settings, BacktestAdmin admin, String applicationId,
                                Map<TopicPartition, Long> required)
            throws InterruptedException, ExecutionException, TimeoutException {
        KafkaStreams streams = new KafkaStreams(ForecastTopology.build(settings), props);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        streams.setUncaughtExceptionHandler(e -> {
            failure.compareAndSet(null, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.ERROR) {
                failure.compareAndSet(null, new IllegalStateException("Kafka Streams entered state ERROR"));
            }
        });
        try {
            streams.start();
            admin.awaitCommitted(applicationId, required, failure::get);
        } finally {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT));
            streams.cleanUp();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete the backtest's state directory {}: {}", dir, e.toString());
        }
    }
}
