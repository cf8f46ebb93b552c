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
 * it equals, parameter for parameter, the model the TopologyTestDriver learns from the same input, and a
 * new deployment accepts the file as rnn.model.init.
 */
@WithKafkaBroker
class ExportModelIT {
    static final int K = 5;
    static final int N = 400;

    @TempDir
    Path tmp;

    @Test
    void exportedSharedModelIsTheOneLearnedAndWarmStartsANewDeployment(KafkaBroker broker) throws Exception {
        broker.createTopics(Map.of("export-readings", 1, "export-predictions", 1, "export-dead-letters", 1));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer())) {
            for (int t = 0; t < N; t++) {
                for (int k = 0; k < K; k++) {
                    producer.send(new ProducerRecord<>("export-readings", null, EndToEndIT.time(t), "sensor-" + k,
                            EndToEndIT.reading(k, t)));
                }
            }
        }
        String applicationId = "export-" + UUID.randomUUID();
        Map<String, String> settings = new HashMap<>(Map.of(
                "rnn.topic.input", "export-readings",
                "rnn.topic.predictions", "export-predictions",
                "rnn.topic.dead-letters", "export-dead-letters",
                "rnn.model.scope", "shared",
                "rnn.model.channels", "2",
                "rnn.model.hidden", "8",
                "rnn.train.k1", "8",
                "rnn.train.k2", "8",
                "application.id", applicationId,
                "bootstrap.servers", broker.bootstrapServers()));
        settings.put("state.dir", tmp.resolve("state").toString());
        AppConfig config = AppConfig.of(settings);
        StreamSettings stream = config.streamSettings();
        try (KafkaStreams streams = new KafkaStreams(ForecastTopology.build(stream),
                ForecastTopology.streamsProperties(stream, config.kafkaProperties()))) {
            streams.start();
            EndToEndIT.readCommitted(broker.bootstrapServers(), "export-predictions", K * N, Duration.ofMinutes(5));
        }

        Path file = tmp.resolve("shared.avro");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = settings.entrySet().stream().flatMap(e -> java.util.stream.Stream.of("--set",
                e.getKey() + "=" + e.getValue())).toArray(String[]::new);
        String[] all = new String[args.length + 3];
        all[0] = "export-model";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--output";
        all[args.length + 2] = file.toString();
        int code = new Main(c -> 0, Map.of()).execute(new PrintWriter(out), new PrintWriter(err), all);
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().startsWith("Wrote the model of 'shared'"), out.toString());
        ModelState exported = ModelFile.read(file);

        // the same input through the TopologyTestDriver: one partition, so the same order, the same model
        Properties props = config.kafkaProperties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("ttd").toString());
        ModelState expected;
        try (TopologyTestDriver driver = new TopologyTestDriver(ForecastTopology.build(stream),
                ForecastTopology.streamsProperties(stream, props))) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic("export-readings", new StringSerializer(),
                    new ByteArraySerializer());
            for (int t = 0; t < N; t++) {
                for (int k = 0; k < K; k++) {
                    in.pipeInput("sensor-" + k, EndToEndIT.reading(k, t), EndToEndIT.time(t));
                }
            }
            expected = driver.<String, ModelState>getKeyValueStore(ForecastTopology.MODEL_STORE).get("shared");
        }
        assertEquals(expected.getUpdates(), exported.getUpdates());
        assertEquals(K * N / 8 - K, exported.getUpdates() + exported.getRestores(),
                "one training per 8 readings of each key, after its first");
        assertArrayEquals(bytes(expected.getParameters()), bytes(exported.getParameters()));
        assertArrayEquals(bytes(expected.getOptimizerState()), bytes(exported.getOptimizerState()));

        settings.put("rnn.model.init", file.toString());
        settings.put("application.id", "warm-" + UUID.randomUUID());
        AppConfig warm = AppConfig.of(settings);
        assertEquals(file, warm.streamSettings().modelInit());
        ForecastTopology.build(warm.streamSettings()); // reads and checks the file
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
