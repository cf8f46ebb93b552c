package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.KafkaClients;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.stream.DeadLetterReason;
import io.rnnstreams.stream.DeadLetters;
import io.rnnstreams.stream.ForecastTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad records through a real broker under exactly-once: each becomes exactly one dead letter with its
 * reason and its original bytes, including a key that is not UTF-8, which takes the
 * DeserializationExceptionHandler (KIP-1034) path that TopologyTestDriver does not deliver.
 */
@WithKafkaBroker
class DeadLetterIT {
    @TempDir
    Path tmp;

    @Test
    void everyBadRecordBecomesOneDeadLetterWithItsBytes(KafkaBroker broker) throws Exception {
        broker.createTopics(Map.of("dl-readings", 2, "dl-predictions", 2, "dl-dead-letters", 1));
        byte[] badKey = {(byte) 0xFF, (byte) 0xFE, 'k'};
        byte[] garbage = {1, 2, 3, 4, 5};
        List<ProducerRecord<byte[], byte[]>> sent = List.of(
                record("s-1".getBytes(StandardCharsets.UTF_8), EndToEndIT.reading(0, 0), 0),
                record(badKey, EndToEndIT.reading(0, 1), 1),
                record("s-1".getBytes(StandardCharsets.UTF_8), garbage, 2),
                record(null, EndToEndIT.reading(0, 3), 3),
                record("s-1".getBytes(StandardCharsets.UTF_8), EndToEndIT.reading(0, 0), 4),
                record("s-1".getBytes(StandardCharsets.UTF_8), EndToEndIT.reading(0, 5), 5));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : sent) {
                producer.send(r).get();
            }
        }
        AppConfig config = AppConfig.of(Map.of(
                "rnn.topic.input", "dl-readings",
                "rnn.topic.predictions", "dl-predictions",
                "rnn.topic.dead-letters", "dl-dead-letters",
                "rnn.model.channels", "2",
                "rnn.model.hidden", "4",
                "application.id", "dl-" + UUID.randomUUID(),
                "bootstrap.servers", broker.bootstrapServers(),
                "state.dir", tmp.toString()));
        StreamSettings settings = config.streamSettings();
        List<ConsumerRecord<byte[], byte[]>> dead;
        int predictions;
        try (KafkaStreams streams = new KafkaStreams(ForecastTopology.build(settings),
                ForecastTopology.streamsProperties(settings, config.kafkaProperties()))) {
            streams.start();
            predictions = EndToEndIT.readCommitted(broker.bootstrapServers(), "dl-predictions", 2,
                    Duration.ofMinutes(2)).values().stream().mapToInt(List::size).sum();
            dead = KafkaClients.awaitCommitted(broker.bootstrapServers(), "dl-dead-letters", 4, Duration.ofMinutes(2));
        }
        assertEquals(2, predictions, "the two good readings of s-1");
        assertEquals(4, dead.size(), "one dead letter per bad record: " + dead);
        assertEquals(DeadLetterReason.DESERIALIZATION, reason(dead, badKey));
        assertArrayEquals(EndToEndIT.reading(0, 1), find(dead, badKey).value(), "original value of the bad key");
        List<DeadLetterReason> reasons = new ArrayList<>();
        dead.forEach(d -> reasons.add(DeadLetters.reason(d.headers())));
        reasons.sort(null);
        assertEquals(List.of(DeadLetterReason.DESERIALIZATION, DeadLetterReason.DESERIALIZATION,
                DeadLetterReason.NULL_KEY, DeadLetterReason.OUT_OF_ORDER), reasons);
        System.out.println("DeadLetterIT: 4 dead letters through " + broker.kind() + ": " + reasons);
    }

    private static ProducerRecord<byte[], byte[]> record(byte[] key, byte[] value, int t) {
        return new ProducerRecord<>("dl-readings", 0, EndToEndIT.time(t), key, value);
    }

    private static ConsumerRecord<byte[], byte[]> find(List<ConsumerRecord<byte[], byte[]>> dead, byte[] key) {
        return dead.stream().filter(d -> d.key() != null && java.util.Arrays.equals(d.key(), key)).findFirst()
                .orElseThrow(() -> new AssertionError("no dead letter with key " + java.util.Arrays.toString(key)));
    }

    private static DeadLetterReason reason(List<ConsumerRecord<byte[], byte[]>> dead, byte[] key) {
        return DeadLetters.reason(find(dead, key).headers());
    }
}
