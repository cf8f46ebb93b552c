package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.KafkaClients;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.stream.ForecastTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through a real broker under exactly-once: K = 50 sensors x 2,000 readings in, a read_committed
 * consumer sees exactly 100,000 predictions, byte-identical per sensor to a TopologyTestDriver run of the
 * same input and configuration.
 */
@WithKafkaBroker
class EndToEndIT {
    /** Sensors and readings per sensor; the acceptance figures by default (override for quick runs). */
    static final int K = Integer.getInteger("e2e.sensors", 50);
    static final int N = Integer.getInteger("e2e.readings", 2_000);
    static final SingleObjectCodec<SensorReading> READINGS = SingleObjectCodec.of(SensorReading.class);

    @TempDir
    Path tmp;

    static byte[] reading(int k, int t) {
        double season = Math.sin(2 * Math.PI * t / (30 + k)) * (1 + k % 5);
        double slow = Math.cos(t * 0.003 * (1 + k % 3)) * 3;
        return READINGS.encode(SensorReading.newBuilder().setEventTime(Instant.ofEpochMilli(time(t)))
                .setValues(List.of(season + 0.1 * k, slow - k)).setTags(Map.of()).build());
    }

    static long time(int t) {
        return 1_750_000_000_000L + t * 1_000L;
    }

    static AppConfig config(String bootstrap, String applicationId, Path stateDir) {
        return AppConfig.of(Map.of(
                "rnn.topic.input", "e2e-readings",
                "rnn.topic.predictions", "e2e-predictions",
                "rnn.topic.dead-letters", "e2e-dead-letters",
                "rnn.model.channels", "2",
                "rnn.model.hidden", "12",
                "rnn.train.k1", "8",
                "rnn.train.k2", "8",
                "application.id", applicationId,
                "bootstrap.servers", bootstrap,
                "state.dir", stateDir.toString()));
    }

    @Test
    void everyReadingYieldsExactlyOnePredictionIdenticalToTheTestDriver(KafkaBroker broker) throws Exception {
        broker.createTopics(Map.of("e2e-readings", 4, "e2e-predictions", 4, "e2e-dead-letters", 1));
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
            for (int t = 0; t < N; t++) {
                for (int k = 0; k < K; k++) {
                    producer.send(new ProducerRecord<>("e2e-readings", null, time(t), "sensor-" + k, reading(k, t)));
                }
            }
            producer.flush();
        }

        AppConfig config = config(broker.bootstrapServers(), "e2e-" + UUID.randomUUID(), tmp.resolve("state"));
        StreamSettings settings = config.streamSettings();
        Map<String, List<byte[]>> actual;
        long started;
        try (KafkaStreams streams = new KafkaStreams(ForecastTopology.build(settings),
                ForecastTopology.streamsProperties(settings, config.kafkaProperties()))) {
            started = System.nanoTime();
            streams.start();
            actual = readCommitted(broker.bootstrapServers(), "e2e-predictions", K * N, Duration.ofMinutes(10));
        }
        System.out.printf("EndToEndIT: %,d predictions committed in %.1f s%n", K * N, (System.nanoTime() - started) / 1e9);
        assertEquals(K * N, actual.values().stream().mapToInt(List::size).sum(), "exactly one prediction per reading");
        ReadingStream.assertDeadLetters(Map.of(),
                KafkaClients.readCommittedToEnd(broker.bootstrapServers(), "e2e-dead-letters", Duration.ofMinutes(1)));

        // one driver per partition: in scope shared (the default) each of the 4 tasks trains its own model
        Map<String, List<byte[]>> expected = new ReadingStream("e2e", K, N, 4).testDriverRun(config, tmp);
        assertEquals(K, actual.size());
        for (int k = 0; k < K; k++) {
            String key = "sensor-" + k;
            List<byte[]> want = expected.get(key);
            List<byte[]> got = actual.get(key);
            assertEquals(N, got.size(), key);
            for (int t = 0; t < N; t++) {
                assertArrayEquals(want.get(t), got.get(t), key + " prediction " + t);
            }
        }
        System.out.printf("EndToEndIT: %,d predictions through %s, byte-identical to the TopologyTestDriver run%n",
                K * N, broker.kind());
    }

    /** {@link KafkaClients#awaitCommitted}, values grouped by key (UTF-8) in arrival order. */
    static Map<String, List<byte[]>> readCommitted(String bootstrap, String topic, int expected, Duration timeout) {
        Map<String, List<byte[]>> byKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaClients.awaitCommitted(bootstrap, topic, expected, timeout)) {
            String key = r.key() == null ? null : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
            byKey.computeIfAbsent(key, x -> new ArrayList<>()).add(r.value());
        }
        return byKey;
    }
}
