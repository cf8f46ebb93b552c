package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.ModelState;
import io.rnnstreams.cli.Main;
import io.rnnstreams.cli.StreamsApp;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.stream.ForecastTopology;
import io.rnnstreams.stream.ModelExport;
import io.rnnstreams.stream.StoredModelCheck;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration changes and the tools against a real broker (issue 12 items 8, 9, 10, 14), one broker start:
 * <ul>
 *   <li>a change stored models cannot continue under (hidden size, scope) is refused at start-up with exit 2,
 *       naming the changed settings and Kafka's StreamsResetter, before anything is processed;</li>
 *   <li>a changed learning rate is accepted: the stored model of {@code a} continues (more updates, the new
 *       rate in its record) and a new key {@code b} trains beside it;</li>
 *   <li>{@code export-model} with a wrong {@code application.id} or an unknown key ends with exit 2 and one
 *       line, and creates no topic;</li>
 *   <li>{@code replay} to a missing topic creates it with {@code retention.ms=-1} (item 10).</li>
 * </ul>
 */
@WithKafkaBroker
class ConfigChangeIT {
    private static final String IN = "cc-readings";
    private static final int N = 120;

    @TempDir
    Path tmp;

    @Test
    void configurationChangesAreCheckedAtStartUpAndTheLearningRateCanChange(KafkaBroker broker) throws Exception {
        broker.createTopics(Map.of(IN, 2, "cc-predictions", 1, "cc-dead-letters", 1));
        String applicationId = "cc-" + UUID.randomUUID();
        Map<String, String> settings = new LinkedHashMap<>(Map.of(
                "rnn.topic.input", IN,
                "rnn.topic.predictions", "cc-predictions",
                "rnn.topic.dead-letters", "cc-dead-letters",
                "rnn.model.channels", "2",
                "rnn.model.hidden", "8",
                "rnn.train.k1", "8",
                "rnn.train.k2", "8",
                "application.id", applicationId,
                "bootstrap.servers", broker.bootstrapServers()));
        settings.put("state.dir", tmp.resolve("state").toString());
        // the plain RNN in key scope (each sensor's own model, its own learning rate): set explicitly since the
        // defaults are rnn.learner=hybrid (whose network's rate is fixed) and rnn.model.scope=shared
        settings.put("rnn.learner", "rnn");
        settings.put("rnn.model.scope", "key");
        produce(broker, "a", 0, N);
        runUntil(settings, broker, N);
        ModelState before = ModelExport.latest(AppConfig.of(settings).kafkaProperties(), applicationId, "a",
                Duration.ofSeconds(60));
        assertTrue(before.getUpdates() > 0, "a trained");

        // a shape and a scope change: refused before anything runs
        Map<String, String> changed = new LinkedHashMap<>(settings);
        changed.put("rnn.model.hidden", "16");
        changed.put("rnn.model.scope", "shared");
        Outcome refused = runCommand(changed, Duration.ofSeconds(90), "run");
        assertEquals(Main.INVALID, refused.code(), refused.err());
        assertTrue(refused.err().contains("rnn.model.hidden 8 -> 16"), refused.err());
        assertTrue(refused.err().contains("rnn.model.scope KEY -> SHARED"), refused.err());
        assertTrue(refused.err().contains("kafka-streams-application-reset.sh"), refused.err());
        assertFalse(refused.err().contains("\tat "), "no stack trace: " + refused.err());

        // the learning rate changes without a reset: a continues, b starts
        Map<String, String> faster = new LinkedHashMap<>(settings);
        faster.put("rnn.train.learning-rate", "0.01");
        produce(broker, "a", N, N);
        produce(broker, "b", 0, N);
        runUntil(faster, broker, 3 * N);
        ModelState after = ModelExport.latest(AppConfig.of(faster).kafkaProperties(), applicationId, "a",
                Duration.ofSeconds(60));
        assertTrue(after.getUpdates() > before.getUpdates(), before.getUpdates() + " -> " + after.getUpdates());
        assertTrue(after.getConfigFingerprint().contains("learning-rate=0.01"), after.getConfigFingerprint());

        // export-model with an unknown key: one line, exit 2
        Outcome unknownKey = runCommand(settings, Duration.ofSeconds(120), "export-model", "--key", "nosuch",
                "--output", tmp.resolve("x.avro").toString(), "--timeout", "PT20S");
        assertEquals(Main.INVALID, unknownKey.code(), unknownKey.err());
        assertTrue(unknownKey.err().startsWith("rnn-streams: no model stored under key 'nosuch'"), unknownKey.err());
        assertFalse(unknownKey.err().contains("\tat "), "no stack trace: " + unknownKey.err());
    }

    @Test
    void exportModelWithAWrongApplicationIdCreatesNoTopic(KafkaBroker broker) throws Exception {
        Set<String> topicsBefore = broker.admin().listTopics().names().get();
        Map<String, String> wrongId = new LinkedHashMap<>(Map.of("application.id", "cc-wrong",
                "bootstrap.servers", broker.bootstrapServers()));
        Outcome noSuchApp = runCommand(wrongId, Duration.ofSeconds(120), "export-model", "--key", "a",
                "--output", tmp.resolve("y.avro").toString(), "--timeout", "PT20S");
        assertEquals(Main.INVALID, noSuchApp.code(), noSuchApp.err());
        assertTrue(noSuchApp.err().contains("no changelog topic cc-wrong-rnn-models-changelog"), noSuchApp.err());
        Thread.sleep(2_000); // a topic auto-created by the metadata request shows up within this
        assertEquals(topicsBefore, broker.admin().listTopics().names().get(), "export-model created a topic");
    }

    /** Issue 12 item 10: a replay to a missing topic creates it with retention.ms=-1, not the broker's 7 days. */
    @Test
    void replayCreatesAMissingTopicThatKeepsHistoricalReadings(KafkaBroker broker) throws Exception {
        Path csv = tmp.resolve("history.csv");
        java.nio.file.Files.writeString(csv, "timestamp,sensor,value\n2016-07-01T00:00:00Z,s,1.5\n"
                + "2016-07-01T01:00:00Z,s,2.5\n");
        Outcome replay = runCommand(Map.of("bootstrap.servers", broker.bootstrapServers()), Duration.ofSeconds(120),
                "replay", "--topic", "cc-history", "--progress", "none", csv.toString());
        assertEquals(Main.OK, replay.code(), replay.err());
        org.apache.kafka.common.config.ConfigResource topic = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "cc-history");
        org.apache.kafka.clients.admin.ConfigEntry retention = broker.admin().describeConfigs(List.of(topic)).all()
                .get().get(topic).get("retention.ms");
        // the topic's own setting, not the test broker's log.retention.ms=-1 (a real broker's default is 7 days)
        assertEquals("-1 " + org.apache.kafka.clients.admin.ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG,
                retention.value() + " " + retention.source(), "retention.ms of the topic replay created");
        assertEquals(2, EndToEndIT.readCommitted(broker.bootstrapServers(), "cc-history", 2, Duration.ofSeconds(60))
                .get("s").size());
    }

    /**
     * Issue 12 item 2: an output topic that refuses timestamps as far ahead as rnn.time.max-ahead allows would stop
     * the application at the first such reading (under exactly-once a refused record fails the transaction), so
     * start-up refuses the combination with exit 2, naming the topic, both limits and the two ways out.
     */
    @Test
    void anOutputTopicThatRefusesTimestampsMaxAheadAllowsIsRefusedAtStartUp(KafkaBroker broker) throws Exception {
        broker.createTopics(Map.of("ts-in", 1, "ts-dead-letters", 1));
        broker.admin().createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("ts-predictions", 1, (short) 1)
                .configs(Map.of("message.timestamp.after.max.ms", "60000")))).all().get();
        Map<String, String> settings = new LinkedHashMap<>(Map.of(
                "rnn.topic.input", "ts-in",
                "rnn.topic.predictions", "ts-predictions",
                "rnn.topic.dead-letters", "ts-dead-letters",
                "application.id", "ts-" + UUID.randomUUID(),
                "bootstrap.servers", broker.bootstrapServers(),
                "rnn.http.enabled", "false"));
        settings.put("state.dir", tmp.resolve("ts-state").toString());
        Outcome refused = runCommand(settings, Duration.ofSeconds(90), "run");
        assertEquals(Main.INVALID, refused.code(), refused.err());
        assertTrue(refused.err().contains("topic ts-predictions refuses timestamps more than 60000 ms ahead"),
                refused.err());
        assertTrue(refused.err().contains("rnn.time.max-ahead=PT10M"), refused.err());
        assertFalse(refused.err().contains("ts-dead-letters refuses"), refused.err());
        assertFalse(refused.err().contains("\tat "), "no stack trace: " + refused.err());
    }

    /**
     * Branches h16, h16g: the hybrid learner's default corrector became a GRU of 16. A deployment whose stored
     * recurrent core was trained under the former default (an LSTM of 32, written here with rnn.model.cell=lstm and
     * rnn.model.hidden=32: the same fingerprint) is refused at start-up by the new default (exit 2, naming
     * rnn.model.cell LSTM -> GRU, rnn.model.hidden 32 -> 16 and the reset) and continues with those two settings (the
     * start-up check passes and the stored core trains on).
     */
    @Test
    void aHybridCoreStoredAtTheFormerDefaultHiddenSizeIsRefusedAndContinuesWith32(KafkaBroker broker)
            throws Exception {
        String in = "cc-h16-readings";
        String predictions = "cc-h16-predictions";
        broker.createTopics(Map.of(in, 1, predictions, 1, "cc-h16-dead-letters", 1));
        String applicationId = "cc-h16-" + UUID.randomUUID();
        Map<String, String> former = new LinkedHashMap<>(Map.of(
                "rnn.topic.input", in,
                "rnn.topic.predictions", predictions,
                "rnn.topic.dead-letters", "cc-h16-dead-letters",
                "rnn.model.channels", "2",
                "rnn.model.hidden", "32",
                "rnn.model.cell", "lstm",
                "application.id", applicationId,
                "bootstrap.servers", broker.bootstrapServers(),
                "state.dir", tmp.resolve("state-h16").toString()));
        produce(broker, in, "a", 0, N);
        runUntil(former, broker, predictions, N);
        Map<String, String> defaults = new LinkedHashMap<>(former);
        defaults.remove("rnn.model.hidden");
        defaults.remove("rnn.model.cell");
        Outcome refused = runCommand(defaults, Duration.ofSeconds(90), "run");
        assertEquals(Main.INVALID, refused.code(), refused.err());
        assertTrue(refused.err().contains("cannot continue under: rnn.model.cell LSTM -> GRU, rnn.model.hidden 32 -> 16."),
                refused.err());
        assertTrue(refused.err().contains("kafka-streams-application-reset.sh"), refused.err());
        assertTrue(refused.err().contains("continues with rnn.model.cell=lstm and rnn.model.hidden=32"), refused.err());
        assertFalse(refused.err().contains("\tat "), "no stack trace: " + refused.err());

        AppConfig again = AppConfig.of(former);
        StoredModelCheck.verify(again.kafkaProperties(), applicationId, again.streamSettings().modelIdentity(),
                Duration.ofSeconds(60)); // passes: no exception
        produce(broker, in, "a", N, N);
        runUntil(former, broker, predictions, 2 * N);
    }

    private static void produce(KafkaBroker broker, String key, int from, int count) {
        produce(broker, IN, key, from, count);
    }

    private static void produce(KafkaBroker broker, String topic, String key, int from, int count) {
        int k = key.charAt(0) - 'a';
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer())) {
            for (int t = from; t < from + count; t++) {
                producer.send(new ProducerRecord<>(topic, null, EndToEndIT.time(t), key, EndToEndIT.reading(k, t)));
            }
        }
    }

    /** Runs the topology in-process until {@code predictions} predictions are committed in total. */
    private static void runUntil(Map<String, String> settings, KafkaBroker broker, int predictions) {
        runUntil(settings, broker, "cc-predictions", predictions);
    }

    /** Runs the topology in-process until {@code predictions} predictions are committed to {@code topic}. */
    private static void runUntil(Map<String, String> settings, KafkaBroker broker, String topic, int predictions) {
        AppConfig config = AppConfig.of(settings);
        StreamSettings stream = config.streamSettings();
        List<Throwable> failures = new ArrayList<>();
        try (KafkaStreams streams = new KafkaStreams(ForecastTopology.build(stream),
                ForecastTopology.streamsProperties(stream, config.kafkaProperties()))) {
            streams.setUncaughtExceptionHandler(e -> {
                failures.add(e);
                return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                        .SHUTDOWN_CLIENT;
            });
            streams.start();
            try {
                EndToEndIT.readCommitted(broker.bootstrapServers(), topic, predictions,
                        Duration.ofMinutes(2));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; stream failures: " + failures, e);
            }
        }
        assertEquals(List.of(), failures);
    }

    private record Outcome(int code, String out, String err) {
    }

    /** {@code rnn-streams COMMAND --set k=v ... ARGS} in-process (run = the real StreamsApp), bounded in time. */
    private static Outcome runCommand(Map<String, String> settings, Duration timeout, String command,
                                      String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(command));
        settings.forEach((k, v) -> {
            all.add("--set");
            all.add(k + "=" + v);
        });
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> code = executor.submit(() -> new Main(StreamsApp::run, Map.of())
                    .execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new)));
            try {
                return new Outcome(code.get(timeout.toSeconds(), TimeUnit.SECONDS), out.toString(), err.toString());
            } catch (TimeoutException e) {
                code.cancel(true);
                throw new AssertionError(command + " still running after " + timeout + "; err: " + err);
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
