package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.cli.Main;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.stream.ForecastTopology;
import io.rnnstreams.stream.ModelFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export-model reads the learned shared model back from the models changelog of a run against the broker;
 * it equals, parameter for parameter, the model the TopologyTestDriver learns from the same input. The plain
 * RNN's file warm-starts a new deployment (rnn.model.init); the hybrid learner's (the default) is its recurrent
 * network, which export-model says cannot warm-start, and rnn.model.init under the hybrid is refused naming
 * rnn.learner.
 */
@WithKafkaBroker
class ExportModelIT {
    static final int K = 5;
    static final int N = 400;

    @TempDir
    Path tmp;

    @Test
    void exportedSharedModelIsTheOneLearnedAndWarmStartsANewDeployment(KafkaBroker broker) throws Exception {
        Map<String, String> settings = settings(broker, "plain", "rnn");
        Export export = runAndExport(broker, settings, "plain");
        assertEquals(K * N / 8 - K, export.exported().getUpdates() + export.exported().getRestores(),
                "one training per 8 readings of each key, after its first");

        settings.put("rnn.model.init", export.file().toString());
        settings.put("application.id", "warm-" + UUID.randomUUID());
        AppConfig warm = AppConfig.of(settings);
        assertEquals(export.file(), warm.streamSettings().modelInit());
        ForecastTopology.build(warm.streamSettings()); // reads and checks the file
    }

    @Test
    void theHybridLearnersSharedModelIsExportedAndSaysItCannotWarmStart(KafkaBroker broker) throws Exception {
        Map<String, String> settings = settings(broker, "hybrid", null);
        Export export = runAndExport(broker, settings, "hybrid");
        String identity = export.exported().getConfigFingerprint();
        // the hybrid's network: D (1 + 4) = 10 inputs (reading, last error, 3 members' forecasts), Adam at 0.003
        assertTrue(identity.contains(";channels=10;") && identity.contains(";learning-rate=0.003;")
                && identity.contains(";scope=SHARED;"), identity);
        assertTrue(export.out().contains("rnn.model.init warm-starts the plain RNN only (rnn.learner=rnn)"),
                export.out());

        settings.put("rnn.model.init", export.file().toString());
        settings.put("application.id", "warm-" + UUID.randomUUID());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new Main(c -> 0, Map.of()).execute(new PrintWriter(out), new PrintWriter(err),
                args("run", settings));
        assertEquals(Main.INVALID, code, err.toString());
        assertTrue(err.toString().contains("rnn.model.init=" + export.file() + " (from --set) needs the plain RNN: "
                + "rnn.learner is hybrid (default)"), err.toString());
        assertTrue(err.toString().contains("set rnn.learner=rnn to warm-start from it"), err.toString());
    }

    /** The settings of a run on the test's topics; {@code learner} null leaves rnn.learner at its default. */
    private static Map<String, String> settings(KafkaBroker broker, String prefix, String learner) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "rnn.topic.input", prefix + "-export-readings",
                "rnn.topic.predictions", prefix + "-export-predictions",
                "rnn.topic.dead-letters", prefix + "-export-dead-letters",
                "rnn.model.scope", "shared",
                "rnn.model.channels", "2",
                "rnn.model.hidden", "8",
                "rnn.train.k1", "8",
                "rnn.train.k2", "8",
                "application.id", prefix + "-export-" + UUID.randomUUID(),
                "bootstrap.servers", broker.bootstrapServers()));
        if (learner != null) {
            settings.put("rnn.learner", learner);
        }
        return settings;
    }

    /** What {@link #runAndExport} wrote and read. */
    record Export(Path file, ModelState exported, String out) {
    }

    /**
     * Produces K x N readings to a one-partition topic, runs the topology over them, exports the shared model with
     * {@code export-model}, and asserts it equals (updates, parameters, optimizer state) the model a
     * TopologyTestDriver learns from the same input (one partition: the same order, the same model).
     */
    private Export runAndExport(KafkaBroker broker, Map<String, String> settings, String prefix) throws Exception {
        String input = settings.get("rnn.topic.input");
        String predictions = settings.get("rnn.topic.predictions");
        broker.createTopics(Map.of(input, 1, predictions, 1, settings.get("rnn.topic.dead-letters"), 1));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer())) {
            for (int t = 0; t < N; t++) {
                for (int k = 0; k < K; k++) {
                    producer.send(new ProducerRecord<>(input, null, EndToEndIT.time(t), "sensor-" + k,
                            EndToEndIT.reading(k, t)));
                }
            }
        }
        settings.put("state.dir", tmp.resolve(prefix + "-state").toString());
        AppConfig config = AppConfig.of(settings);
        StreamSettings stream = config.streamSettings();
        try (KafkaStreams streams = new KafkaStreams(ForecastTopology.build(stream),
                ForecastTopology.streamsProperties(stream, config.kafkaProperties()))) {
            streams.start();
            EndToEndIT.readCommitted(broker.bootstrapServers(), predictions, K * N, Duration.ofMinutes(5));
        }

        Path file = tmp.resolve(prefix + "-shared.avro");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] export = args("export-model", settings);
        String[] all = java.util.Arrays.copyOf(export, export.length + 2);
        all[export.length] = "--output";
        all[export.length + 1] = file.toString();
        int code = new Main(c -> 0, Map.of()).execute(new PrintWriter(out), new PrintWriter(err), all);
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().startsWith("Wrote the model of 'shared'"), out.toString());
        ModelState exported = ModelFile.read(file);

        Properties props = config.kafkaProperties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve(prefix + "-ttd").toString());
        ModelState expected;
        try (TopologyTestDriver driver = new TopologyTestDriver(ForecastTopology.build(stream),
                ForecastTopology.streamsProperties(stream, props))) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic(input, new StringSerializer(),
                    new ByteArraySerializer());
            for (int t = 0; t < N; t++) {
                for (int k = 0; k < K; k++) {
                    in.pipeInput("sensor-" + k, EndToEndIT.reading(k, t), EndToEndIT.time(t));
                }
            }
            expected = driver.<String, ModelState>getKeyValueStore(ForecastTopology.MODEL_STORE).get("shared");
        }
        assertTrue(exported.getUpdates() > 0, "trained");
        assertEquals(expected.getUpdates(), exported.getUpdates());
        assertArrayEquals(bytes(expected.getParameters()), bytes(exported.getParameters()));
        assertArrayEquals(bytes(expected.getOptimizerState()), bytes(exported.getOptimizerState()));
        return new Export(file, exported, out.toString());
    }

    /** {@code command} followed by every setting as {@code --set key=value}. */
    private static String[] args(String command, Map<String, String> settings) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(command), settings.entrySet().stream()
                .flatMap(e -> java.util.stream.Stream.of("--set", e.getKey() + "=" + e.getValue())))
                .toArray(String[]::new);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
