package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.KafkaClients;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.stream.DeadLetterReason;
import io.rnnstreams.stream.DeadLetters;
import io.rnnstreams.stream.ForecastTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The input of a reliability test and its reference result: {@code sensors} x {@code readings} valid readings
 * ({@link EndToEndIT#reading}, keys {@code sensor-0..}), produced idempotently to a topic, and the predictions
 * an uninterrupted {@link TopologyTestDriver} run of the same input and configuration emits. {@link #verify}
 * checks a read_committed prediction stream against that run: exactly one prediction per reading, no dead
 * letters, per sensor byte-identical and in order.
 *
 * <p>The topics are named after a test id: {@code <id>-readings} (with {@code partitions} partitions),
 * {@code <id>-predictions} (same count) and {@code <id>-dead-letters} (1), all with {@code retention.ms=-1}
 * because the readings' event times (the record timestamps) are from 2025.
 */
final class ReadingStream {
    final String id;
    final int sensors;
    final int readings;
    final int partitions;

    ReadingStream(String id, int sensors, int readings, int partitions) {
        if (sensors < 1 || readings < 1 || partitions < 1) {
            throw new IllegalArgumentException("sensors, readings and partitions must be >= 1: " + sensors + ", "
                    + readings + ", " + partitions);
        }
        this.id = id;
        this.sensors = sensors;
        this.readings = readings;
        this.partitions = partitions;
    }

    String input() {
        return id + "-readings";
    }

    String predictions() {
        return id + "-predictions";
    }

    String deadLetters() {
        return id + "-dead-letters";
    }

    int total() {
        return sensors * readings;
    }

    /** Creates the three topics and waits until every partition is served. */
    void createTopics(KafkaBroker broker) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(
                    new NewTopic(input(), partitions, (short) 1).configs(Map.of("retention.ms", "-1")),
                    new NewTopic(predictions(), partitions, (short) 1).configs(Map.of("retention.ms", "-1")),
                    new NewTopic(deadLetters(), 1, (short) 1).configs(Map.of("retention.ms", "-1"))))
                    .all().get(60, TimeUnit.SECONDS);
        }
        broker.createTopics(Map.of(input(), partitions, predictions(), partitions, deadLetters(), 1));
    }

    /** Produces every reading (reading-major, sensor-minor order) with an idempotent acks=all producer. */
    void produce(String bootstrap) throws InterruptedException {
        produce(bootstrap, 0, readings);
    }

    /**
     * Produces readings {@code from} (inclusive) to {@code to} (exclusive) of every sensor, reading-major and
     * sensor-minor, with an idempotent acks=all producer; returns once all are acknowledged.
     */
    void produce(String bootstrap, int from, int to) throws InterruptedException {
        produce(bootstrap, from, to, Duration.ZERO);
    }

    /**
     * As {@link #produce(String, int, int)}, pausing {@code pause} after each reading step (one reading of every
     * sensor), so that the records keep arriving over about {@code (to - from) x pause}.
     */
    void produce(String bootstrap, int from, int to, Duration pause) throws InterruptedException {
        if (from < 0 || to > readings || from > to) {
            throw new IllegalArgumentException("readings " + from + ".." + to + " outside 0.." + readings);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int t = from; t < to; t++) {
                for (int k = 0; k < sensors; k++) {
                    producer.send(new ProducerRecord<>(input(), null, EndToEndIT.time(t), "sensor-" + k,
                            EndToEndIT.reading(k, t)));
                }
                if (!pause.isZero()) {
                    producer.flush();
                    Thread.sleep(pause.toMillis());
                }
            }
            producer.flush();
        }
    }

    /**
     * The processor settings every reliability test shares: this stream's topics, a small model (2 channels,
     * hidden 12, TBPTT 8/8), exactly_once_v2 unless {@code guarantee} says otherwise, commits every 100 ms, and
     * a 6 s session timeout (the broker's minimum) so that a member that vanishes leaves the group quickly.
     */
    Map<String, String> processorSettings(String bootstrap, Path stateDir, String guarantee) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("application.id", id);
        settings.put("bootstrap.servers", bootstrap);
        settings.put("state.dir", stateDir.toString());
        settings.put("rnn.topic.input", input());
        settings.put("rnn.topic.predictions", predictions());
        settings.put("rnn.topic.dead-letters", deadLetters());
        settings.put("rnn.model.channels", "2");
        settings.put("rnn.model.hidden", "12");
        settings.put("rnn.train.k1", "8");
        settings.put("rnn.train.k2", "8");
        settings.put("processing.guarantee", guarantee);
        settings.put("commit.interval.ms", "100");
        settings.put("session.timeout.ms", "6000");
        settings.put("heartbeat.interval.ms", "1500");
        return settings;
    }

    /** The predictions of an uninterrupted TopologyTestDriver run of this input, per sensor in order. */
    Map<String, List<byte[]>> testDriverRun(AppConfig config, Path work) throws Exception {
        return testDriverRun(config, work, predictions());
    }

    /**
     * The records that an uninterrupted TopologyTestDriver run of this input writes to {@code topic} (the
     * predictions topic, or e.g. the lagged topic of {@code rnn.smoothing.lag}), per sensor in order. One driver
     * per input partition, fed the sensors that the producer's default partitioner puts there ({@link #partitionOf}),
     * in the order they are produced: a broker run has one stream task per partition, and in scope {@code shared}
     * (the default) each task trains its own model on its own keys, so a single driver over all sensors would be
     * another model. In scope {@code key} one driver per partition gives what one driver for all gives.
     */
    Map<String, List<byte[]>> testDriverRun(AppConfig config, Path work, String topic) throws Exception {
        Map<String, List<byte[]>> out = new HashMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            testDriverRun(config, work.resolve("ttd-" + partition), topic, partition, out);
        }
        return out;
    }

    /** The input partition that Kafka's default partitioner gives a record keyed {@code key} (murmur2 of its bytes). */
    int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private void testDriverRun(AppConfig config, Path stateDir, String topic, int partition,
                               Map<String, List<byte[]>> out) throws Exception {
        StreamSettings settings = config.streamSettings();
        Properties props = config.kafkaProperties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateDir).toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(ForecastTopology.build(settings),
                ForecastTopology.streamsProperties(settings, props))) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic(input(), new StringSerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, byte[]> predictions = driver.createOutputTopic(topic,
                    new StringDeserializer(), new ByteArrayDeserializer());
            for (int t = 0; t < readings; t++) {
                for (int k = 0; k < sensors; k++) {
                    if (partitionOf("sensor-" + k) == partition) {
                        in.pipeInput("sensor-" + k, EndToEndIT.reading(k, t), EndToEndIT.time(t));
                    }
                }
                for (TestRecord<String, byte[]> r : predictions.readRecordsToList()) {
                    out.computeIfAbsent(r.key(), x -> new ArrayList<>()).add(r.value());
                }
            }
        }
    }

    /**
     * Reads the predictions topic with read_committed (until {@link #total()} arrived and 3 s more passed) and
     * asserts: no dead letter (read to the last stable offsets, see {@link #assertDeadLetters}), exactly one
     * prediction per reading, and per sensor the same bytes in the same order as the TopologyTestDriver run with
     * {@code config} ({@link #assertSameAsReference}).
     */
    void verify(String bootstrap, AppConfig config, Path work) throws Exception {
        Map<String, List<byte[]>> actual = EndToEndIT.readCommitted(bootstrap, predictions(), total(),
                Duration.ofMinutes(2));
        assertDeadLetters(Map.of(), KafkaClients.readCommittedToEnd(bootstrap, deadLetters(), Duration.ofMinutes(1)));
        assertSameAsReference(testDriverRun(config, work), actual, sensors, readings);
    }

    /**
     * Asserts that {@code actual} holds, per sensor {@code sensor-0 .. sensor-(sensors-1)}, exactly {@code readings}
     * predictions, byte-identical and in the same order as {@code expected}. A duplicate or a gap fails the count
     * (the message names each sensor's count); a changed byte or a swapped pair fails the comparison (the message
     * names the sensor and the prediction). Its controls are in {@code ReadingStreamTest}.
     */
    static void assertSameAsReference(Map<String, List<byte[]>> expected, Map<String, List<byte[]>> actual,
                                      int sensors, int readings) {
        Map<String, Integer> perSensor = new TreeMap<>();
        actual.forEach((k, v) -> perSensor.put(k, v.size()));
        assertEquals((long) sensors * readings, actual.values().stream().mapToLong(List::size).sum(),
                "exactly one committed prediction per reading; per sensor " + perSensor);
        assertEquals(sensors, actual.size(), "sensors: " + perSensor.keySet());
        for (int k = 0; k < sensors; k++) {
            String key = "sensor-" + k;
            List<byte[]> want = expected.get(key);
            List<byte[]> got = actual.get(key);
            assertEquals(readings, want == null ? 0 : want.size(), key + " test driver");
            assertEquals(readings, got == null ? 0 : got.size(), key + ": exactly one committed prediction per "
                    + "reading; per sensor " + perSensor);
            for (int t = 0; t < readings; t++) {
                assertArrayEquals(want.get(t), got.get(t), key + " prediction " + t + " differs from the "
                        + "uninterrupted TopologyTestDriver run");
            }
        }
    }

    /**
     * Asserts that {@code deadLetters} (every record of the dead-letter topic, read to its last stable offsets,
     * e.g. by {@link KafkaClients#readCommittedToEnd}) holds exactly {@code expectedPerReason} records per
     * {@code reason} header (a record without one counts under {@code null}). An empty map means: no dead letter.
     */
    static void assertDeadLetters(Map<DeadLetterReason, Integer> expectedPerReason,
                                  List<ConsumerRecord<byte[], byte[]>> deadLetters) {
        Map<DeadLetterReason, Integer> actual = new HashMap<>();
        deadLetters.forEach(d -> actual.merge(DeadLetters.reason(d.headers()), 1, Integer::sum));
        assertEquals(new HashMap<>(expectedPerReason), actual, "dead letters per reason");
    }
}
