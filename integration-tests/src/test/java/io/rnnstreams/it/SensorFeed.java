package io.rnnstreams.it;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.avro.SensorReading;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The reliability tests' input: sensors {@code sensor-0 .. sensor-(S-1)}, reading {@code t} of sensor
 * {@code k} = {@link EndToEndIT#reading(int, int)} at {@link EndToEndIT#time(int)}, produced round by round
 * (reading t of every sensor, then t + 1), or a reading whose first channel is NaN where the test marks
 * reading (k, t) invalid (it must become a {@code NON_FINITE} dead letter). Also the topics and the
 * settings every such test shares.
 */
final class SensorFeed {
    /** Which readings carry a NaN instead of their value. */
    @FunctionalInterface
    interface Invalid {
        boolean test(int sensor, int t);

        Invalid NONE = (k, t) -> false;
    }

    private SensorFeed() {
    }

    static String key(int k) {
        return "sensor-" + k;
    }

    /** Reading t of sensor k, or its NaN variant when {@code invalid}. */
    static byte[] value(int k, int t, boolean invalid) {
        if (!invalid) {
            return EndToEndIT.reading(k, t);
        }
        return EndToEndIT.READINGS.encode(SensorReading.newBuilder().setEventTime(Instant.ofEpochMilli(
                EndToEndIT.time(t))).setValues(List.of(Double.NaN, 0.0)).setTags(Map.of()).build());
    }

    /**
     * Creates input and predictions (4 partitions) and dead letters (1) with {@code retention.ms=-1}: the
     * readings' event times, which are the record timestamps, are from 2025, and time retention would
     * otherwise delete them while the test runs.
     */
    static void createTopics(KafkaBroker broker, String input, String predictions, String deadLetters) throws Exception {
        createTopics(broker, input, predictions, deadLetters, 4);
    }

    /** As above with {@code partitions} partitions for input and predictions (the stream tasks: one per partition). */
    static void createTopics(KafkaBroker broker, String input, String predictions, String deadLetters, int partitions)
            throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(
                    new NewTopic(input, partitions, (short) 1).configs(Map.of("retention.ms", "-1")),
                    new NewTopic(predictions, partitions, (short) 1).configs(Map.of("retention.ms", "-1")),
                    new NewTopic(deadLetters, 1, (short) 1).configs(Map.of("retention.ms", "-1"))))
                    .all().get(60, TimeUnit.SECONDS);
        }
        // waits for the partition leaders
        broker.createTopics(Map.of(input, partitions, predictions, partitions, deadLetters, 1));
    }

    /**
     * Produces readings {@code fromT} (inclusive) to {@code toT} (exclusive) of sensors 0..S-1, idempotently,
     * round by round.
     *
     * @return how many of them were invalid
     */
    static int produce(String bootstrap, String topic, int sensors, int fromT, int toT, Invalid invalid) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        int bad = 0;
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int t = fromT; t < toT; t++) {
                for (int k = 0; k < sensors; k++) {
                    boolean nan = invalid.test(k, t);
                    bad += nan ? 1 : 0;
                    producer.send(new ProducerRecord<>(topic, null, EndToEndIT.time(t), key(k), value(k, t, nan)));
                }
            }
            producer.flush();
        }
        return bad;
    }

    /**
     * The settings the reliability tests share (the model of {@link CrashIT}: 2 channels, hidden 12,
     * k1 = k2 = 8; key scope; exactly_once_v2, commits every 100 ms); callers add or override.
     */
    static Map<String, String> settings(String applicationId, String bootstrap, Path stateDir, String input,
                                        String predictions, String deadLetters) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("application.id", applicationId);
        s.put("bootstrap.servers", bootstrap);
        s.put("state.dir", stateDir.toString());
        s.put("rnn.topic.input", input);
        s.put("rnn.topic.predictions", predictions);
        s.put("rnn.topic.dead-letters", deadLetters);
        s.put("rnn.model.channels", "2");
        s.put("rnn.model.hidden", "12");
        s.put("rnn.model.scope", "key"); // every sensor its own model (the default became shared)
        s.put("rnn.train.k1", "8");
        s.put("rnn.train.k2", "8");
        s.put("processing.guarantee", "exactly_once_v2");
        s.put("commit.interval.ms", "100");
        return s;
    }
}
