package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.KafkaClients;
import io.rnnstreams.it.broker.RegistryServer;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.stream.DeadLetterReason;
import io.rnnstreams.stream.DeadLetters;
import io.rnnstreams.stream.ForecastTopology;
import io.rnnstreams.stream.registry.RegistryFraming;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema-registry wire format both ways through a real broker and a real registry server (Apicurio
 * Registry, started once for the class): readings written by a registry-aware producer (Apicurio's
 * {@link AvroKafkaSerializer}, configured as a user would), half of them with an evolved SensorReading schema
 * (a new optional field) registered as version 2 of the subject under the registry's BACKWARD rule; the
 * processor with {@code rnn.format.input=registry} and {@code rnn.format.output=registry}; the predictions
 * read by a registry-aware consumer (Apicurio's {@link AvroKafkaDeserializer}). They equal, field for field,
 * the predictions of the same readings in the default single-object format, so the format changes nothing
 * but the framing. A single-object reading on the registry-format topic is a dead letter saying why.
 *
 * <p>Bounded like {@link RegistrySerdeIT}: the test 8 min (23 s when green; its own waits add up to 4 min), the
 * server's start 20 min, in a separate thread.
 */
@WithKafkaBroker
@Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
class RegistryRoundTripIT {
    private static final String READINGS = "rt-readings";
    private static final String PREDICTIONS = "rt-predictions";
    private static final String DEAD_LETTERS = "rt-dead-letters";
    /** Readings of sensor-a per schema version. */
    private static final int PER_VERSION = 30;
    private static RegistryServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    @Timeout(value = 20, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
    static void startServer() {
        server = RegistryServer.shared().orElse(null);
    }

    @Test
    void registryReadingsInRegistryPredictionsOutWithAnEvolvedInputSchema(KafkaBroker broker) throws Exception {
        assumeTrue(server != null, "no JDK >= 21 for the registry server (see the RegistryServer line above)");
        broker.createTopics(Map.of(READINGS, 1, PREDICTIONS, 1, DEAD_LETTERS, 1));
        assertEquals(200, server.confluentSend("PUT", "/config/" + READINGS + "-value",
                "{\"compatibility\":\"BACKWARD\"}").statusCode());
        Schema v2 = RegistrySerdeIT.evolved(SensorReading.getClassSchema(),
                "{\"name\":\"site\",\"type\":[\"null\",\"string\"],\"default\":null}");
        List<SensorReading> readings = new ArrayList<>();
        for (int t = 0; t < 2 * PER_VERSION; t++) {
            readings.add(reading(t));
        }

        // Avro 1.12 instantiates no generated class it was not told to trust (SecurityException in Apicurio's
        // SpecificDatumWriter and reader); the project's codec is what trusts them
        SingleObjectCodec.of(SensorReading.class);
        SingleObjectCodec.of(Prediction.class);
        // a registry-aware producer: version 1 (the generated class), then version 2 (a generic record)
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig(broker))) {
            for (int t = 0; t < PER_VERSION; t++) {
                producer.send(new ProducerRecord<>(READINGS, 0, time(t), "sensor-a", readings.get(t))).get();
            }
            for (int t = PER_VERSION; t < 2 * PER_VERSION; t++) {
                producer.send(new ProducerRecord<>(READINGS, 0, time(t), "sensor-a", evolve(readings.get(t), v2)))
                        .get();
            }
        }
        byte[] singleObject = SingleObjectCodec.of(SensorReading.class).encode(reading(0));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(READINGS, 0, time(0), "sensor-b", singleObject)).get();
        }
        String versions = server.confluentGet("/subjects/" + READINGS + "-value/versions").body();
        assertEquals("[1,2]", versions.replace(" ", ""), "the producer registered the evolved schema as version 2");

        AppConfig config = config(broker.bootstrapServers(), Map.of(
                "rnn.format.input", "registry",
                "rnn.format.output", "registry",
                "rnn.registry.url", server.url()));
        StreamSettings settings = config.streamSettings();
        List<ConsumerRecord<byte[], byte[]>> dead;
        List<ConsumerRecord<String, Prediction>> predictions;
        try (KafkaStreams streams = new KafkaStreams(ForecastTopology.build(settings),
                ForecastTopology.streamsProperties(settings, config.kafkaProperties()))) {
            streams.start();
            predictions = readPredictions(broker, 2 * PER_VERSION, Duration.ofMinutes(3));
            dead = KafkaClients.awaitCommitted(broker.bootstrapServers(), DEAD_LETTERS, 1, Duration.ofMinutes(1));
        }

        assertEquals(2 * PER_VERSION, predictions.size(), "one prediction per registry-format reading");
        List<Prediction> expected = singleObjectRun(readings);
        for (int t = 0; t < 2 * PER_VERSION; t++) {
            assertEquals("sensor-a", predictions.get(t).key());
            assertEquals(expected.get(t), predictions.get(t).value(), "prediction " + t
                    + " equals the single-object run's");
        }
        assertEquals(1, dead.size(), "the single-object reading: " + dead);
        assertEquals(DeadLetterReason.DESERIALIZATION, DeadLetters.reason(dead.get(0).headers()));
        String detail = new String(dead.get(0).headers().lastHeader(DeadLetters.DETAIL).value(),
                StandardCharsets.UTF_8);
        assertTrue(detail.contains("BAD_HEADER") && detail.contains("single-object"), detail);
        assertArrayEquals(singleObject, dead.get(0).value(), "the bytes, unchanged");
        String subjects = server.confluentGet("/subjects").body();
        assertTrue(subjects.contains("\"" + PREDICTIONS + "-value\""), subjects);
        int predictionSchemaId = RegistryFraming.schemaId(rawPredictions(broker).get(0).value());
        String schema = server.confluentGet("/schemas/ids/" + predictionSchemaId).body();
        assertTrue(schema.contains("\\\"name\\\":\\\"Prediction\\\""), schema);
        System.out.printf("RegistryRoundTripIT: %d readings (schema versions %s) -> %d predictions (schema id %d) "
                + "through %s and %s; 1 dead letter%n", 2 * PER_VERSION, versions, predictions.size(),
                predictionSchemaId, broker.kind(), server.url());
    }

    private static SensorReading reading(int t) {
        return SensorReading.newBuilder().setEventTime(Instant.ofEpochMilli(time(t)))
                .setValues(List.of(Math.sin(t / 4.0) * 3, Math.cos(t / 7.0) + 0.1 * t)).setTags(Map.of("unit", "bar"))
                .build();
    }

    private static long time(int t) {
        return 1_750_000_000_000L + t * 60_000L;
    }

    /** {@code reading} as a record of the evolved schema, with the new field set. */
    private static GenericRecord evolve(SensorReading reading, Schema v2) {
        GenericRecord r = new GenericData.Record(v2);
        r.put("eventTime", reading.getEventTime().toEpochMilli());
        r.put("values", reading.getValues());
        r.put("tags", reading.getTags());
        r.put("site", "pump 4");
        return r;
    }

    /** A producer as a user configures Apicurio's serializer: by class name and properties. */
    private static Properties producerConfig(KafkaBroker broker) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroKafkaSerializer.class.getName());
        p.put("apicurio.registry.url", server.endpoint().v3Url());
        p.put("apicurio.registry.auto-register", "true");
        return p;
    }

    /** A read_committed consumer with Apicurio's deserializer, reading into the generated class. */
    private static List<ConsumerRecord<String, Prediction>> readPredictions(KafkaBroker broker, int expected,
                                                                          Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "rt-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
        p.put("apicurio.registry.url", server.endpoint().v3Url());
        p.put("apicurio.registry.use-specific-avro-reader", "true");
        List<ConsumerRecord<String, Prediction>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, Prediction> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(PREDICTIONS));
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    private static List<ConsumerRecord<byte[], byte[]>> rawPredictions(KafkaBroker broker) {
        return KafkaClients.awaitCommitted(broker.bootstrapServers(), PREDICTIONS, 2 * PER_VERSION,
                Duration.ofSeconds(30));
    }

    /** The same readings through the topology in the default single-object format. */
    private List<Prediction> singleObjectRun(List<SensorReading> readings) throws Exception {
        AppConfig config = config("127.0.0.1:9", Map.of());
        Properties props = config.kafkaProperties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(tmp.resolve("ttd")).toString());
        SingleObjectCodec<SensorReading> in = SingleObjectCodec.of(SensorReading.class);
        SingleObjectCodec<Prediction> out = SingleObjectCodec.of(Prediction.class);
        List<Prediction> predictions = new ArrayList<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(ForecastTopology.build(config.streamSettings()),
                ForecastTopology.streamsProperties(config.streamSettings(), props))) {
            TestInputTopic<String, byte[]> input = driver.createInputTopic(READINGS, new StringSerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, byte[]> output = driver.createOutputTopic(PREDICTIONS, new StringDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            for (SensorReading r : readings) {
                input.pipeInput("sensor-a", in.encode(r), r.getEventTime().toEpochMilli());
            }
            output.readValuesToList().forEach(v -> predictions.add(out.decode(v)));
        }
        return predictions;
    }

    private AppConfig config(String bootstrap, Map<String, String> formats) {
        Map<String, String> m = new HashMap<>(Map.of(
                "rnn.topic.input", READINGS,
                "rnn.topic.predictions", PREDICTIONS,
                "rnn.topic.dead-letters", DEAD_LETTERS,
                "rnn.model.channels", "2",
                "rnn.model.hidden", "6",
                "rnn.train.k1", "4",
                "rnn.train.k2", "4",
                "application.id", "rt-" + UUID.randomUUID(),
                "bootstrap.servers", bootstrap,
                "state.dir", tmp.resolve("state").toString()));
        m.putAll(formats);
        return AppConfig.of(m);
    }
}
