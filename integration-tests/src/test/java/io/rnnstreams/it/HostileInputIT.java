package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.KafkaClients;
import io.rnnstreams.it.broker.ProcessorJvm;
import io.rnnstreams.it.broker.ProcessorLogs;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.it.broker.WorkDirs;
import io.rnnstreams.it.broker.ProcessorJvms;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.stream.DeadLetterReason;
import io.rnnstreams.stream.DeadLetters;
import io.rnnstreams.stream.ForecastTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5, scenario 4 (hostile input): S sensors x R valid readings with hostile records mixed in at random
 * (seeded) places, 10% of all records, every kind at least once: random bytes, truncated Avro, valid Avro of
 * another schema (a single-object-encoded Prediction), a key that is not UTF-8, a wrong vector length, NaN,
 * infinity, a value beyond rnn.input.max-abs-value, a null key, a null value (tombstone), a negative event
 * time, a duplicated event time, an earlier event time, and two enormous values as large as the broker accepts
 * by default (random bytes, and a reading with ~131,000 channels). The processor runs as its own JVM
 * ({@code rnn-streams.jar run}, exactly_once_v2).
 *
 * <p>Asserted: the processor JVM is alive and its Kafka Streams state is RUNNING at the end; a read_committed
 * reader sees exactly S x R predictions and exactly one dead letter per hostile record; the dead letters per
 * {@code reason} header equal the number injected per kind; each dead letter is the hostile record's own
 * (matched by its source partition and offset headers) with its original key and value bytes, except that the
 * two enormous ones, which would not fit a produce request with the dead-letter headers added, carry the first
 * bytes of their value with its full length and SHA-256 (see {@link DeadLetters#fit}); the predictions are
 * per sensor byte-identical to a TopologyTestDriver run of the valid readings alone.
 *
 * <p>CI size: 8 sensors x 300 readings (267 hostile records). {@code -Dhostile.sensors}, {@code -Dhostile.readings},
 * {@code -Dhostile.seed} change it. Processor logs: {@code integration-tests/target/hostile-<id>/run.out|.err}.
 */
@WithKafkaBroker
class HostileInputIT {
    /** Partitions of the input and predictions topics (each a stream task with its own model in scope shared). */
    static final int PARTITIONS = 2;
    static final int S = Integer.getInteger("hostile.sensors", 8);
    static final int R = Integer.getInteger("hostile.readings", 300);
    static final long SEED = Long.getLong("hostile.seed", 20_261_123L);
    /** Hostile records as a fraction of all records. */
    static final double HOSTILE_FRACTION = 0.10;
    /**
     * Value size of the enormous records: the broker's default {@code message.max.bytes} (1,048,588) bounds a
     * record batch; less the batch header (61 bytes) and 64 bytes for the record's framing and key.
     */
    static final int ENORMOUS = 1_048_588 - 61 - 64;
    static final SingleObjectCodec<SensorReading> READINGS = SingleObjectCodec.of(SensorReading.class);
    static final SingleObjectCodec<Prediction> PREDICTIONS = SingleObjectCodec.of(Prediction.class);

    /** The kinds of hostile record and the dead-letter reason each must get. */
    enum Kind {
        RANDOM_BYTES(DeadLetterReason.DESERIALIZATION),
        TRUNCATED_AVRO(DeadLetterReason.DESERIALIZATION),
        OTHER_SCHEMA(DeadLetterReason.DESERIALIZATION),
        NON_UTF8_KEY(DeadLetterReason.DESERIALIZATION),
        ENORMOUS_BYTES(DeadLetterReason.DESERIALIZATION),
        ENORMOUS_VECTOR(DeadLetterReason.WRONG_DIMENSION),
        WRONG_LENGTH(DeadLetterReason.WRONG_DIMENSION),
        NAN(DeadLetterReason.NON_FINITE),
        INFINITE(DeadLetterReason.NON_FINITE),
        OUT_OF_RANGE(DeadLetterReason.OUT_OF_RANGE),
        NULL_KEY(DeadLetterReason.NULL_KEY),
        NULL_VALUE(DeadLetterReason.NULL_VALUE),
        NEGATIVE_TIME(DeadLetterReason.MISSING_TIMESTAMP),
        DUPLICATE_TIME(DeadLetterReason.OUT_OF_ORDER),
        EARLIER_TIME(DeadLetterReason.OUT_OF_ORDER);

        final DeadLetterReason reason;

        Kind(DeadLetterReason reason) {
            this.reason = reason;
        }

        boolean enormous() {
            return this == ENORMOUS_BYTES || this == ENORMOUS_VECTOR;
        }
    }

    /** One record to produce: valid ({@code kind == null}) or hostile. */
    record Input(Kind kind, Integer partition, long timestamp, byte[] key, byte[] value) {
    }

    @RegisterExtension
    final ProcessorJvms jvms = new ProcessorJvms();

    @Test
    void hostileRecordsBecomeDeadLettersWithTheirBytesAndTheValidOnesArePredictedAsIfAlone(KafkaBroker broker)
            throws Exception {
        Path work = WorkDirs.create("hostile");
        String id = work.getFileName().toString();
        String input = id + "-readings";
        String predictions = id + "-predictions";
        String deadLetters = id + "-dead-letters";
        broker.createTopics(Map.of(input, PARTITIONS, predictions, PARTITIONS, deadLetters, 1));

        List<Input> mix = mix(new Random(SEED));
        Map<Kind, Integer> injected = new EnumMap<>(Kind.class);
        mix.stream().filter(i -> i.kind() != null).forEach(i -> injected.merge(i.kind(), 1, Integer::sum));
        int hostile = injected.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("HostileInputIT: seed %d, %d sensors x %d readings + %d hostile records (%.1f%%): %s%n",
                SEED, S, R, hostile, 100.0 * hostile / mix.size(), injected);

        long t0 = System.nanoTime();
        Map<String, Input> bySource = produce(broker.bootstrapServers(), input, mix);
        System.out.printf("HostileInputIT: %d records produced in %.1f s%n", mix.size(), (System.nanoTime() - t0) / 1e9);

        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("application.id", id);
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("state.dir", work.resolve("state").toString());
        settings.put("rnn.topic.input", input);
        settings.put("rnn.topic.predictions", predictions);
        settings.put("rnn.topic.dead-letters", deadLetters);
        settings.put("rnn.model.channels", "2");
        settings.put("rnn.model.hidden", "8");
        settings.put("rnn.train.k1", "8");
        settings.put("rnn.train.k2", "8");
        settings.put("processing.guarantee", "exactly_once_v2");
        settings.put("commit.interval.ms", "100");
        ProcessorJvm jvm = jvms.start(settings, work, "run");

        List<ConsumerRecord<byte[], byte[]>> dead;
        Map<String, List<byte[]>> actual;
        try {
            dead = KafkaClients.awaitCommitted(broker.bootstrapServers(), deadLetters, hostile, Duration.ofMinutes(3));
            actual = EndToEndIT.readCommitted(broker.bootstrapServers(), predictions, S * R, Duration.ofMinutes(3));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; processor alive: " + jvm.isAlive() + " (exit code "
                    + jvm.exitCode() + "), logs " + jvm.logs() + "\n" + KafkaBroker.tail(work.resolve("run.out"), 40), e);
        }
        System.out.printf("HostileInputIT: %d dead letters and %d predictions committed %.1f s after the processor's "
                + "start%n", dead.size(), actual.values().stream().mapToInt(List::size).sum(), jvm.secondsSinceStart());

        // the processor never stopped
        assertTrue(jvm.isAlive(), "the processor JVM exited with code " + jvm.exitCode() + "; logs " + jvm.logs());
        // a rebalance at the very end would show as REBALANCING for a moment: allow it to settle
        assertEquals("RUNNING", ProcessorLogs.awaitStreamsState(work.resolve("run.out"), "RUNNING",
                Duration.ofSeconds(60)), "Kafka Streams state of the processor at the end; logs " + jvm.logs());
        assertTrue(jvm.isAlive(), "the processor JVM exited with code " + jvm.exitCode() + "; logs " + jvm.logs());

        // dead letters: as many per reason as injected per kind, each the hostile record's own, with its bytes
        Map<DeadLetterReason, Integer> expectedPerReason = new EnumMap<>(DeadLetterReason.class);
        injected.forEach((kind, n) -> expectedPerReason.merge(kind.reason, n, Integer::sum));
        Map<DeadLetterReason, Integer> actualPerReason = new EnumMap<>(DeadLetterReason.class);
        dead.forEach(d -> actualPerReason.merge(DeadLetters.reason(d.headers()), 1, Integer::sum));
        assertEquals(expectedPerReason, actualPerReason, "dead letters per reason");
        assertEquals(hostile, dead.size(), "one dead letter per hostile record");
        Map<String, ConsumerRecord<byte[], byte[]>> seen = new HashMap<>();
        int truncated = 0;
        for (ConsumerRecord<byte[], byte[]> d : dead) {
            String source = header(d, DeadLetters.SOURCE_PARTITION) + "@" + header(d, DeadLetters.SOURCE_OFFSET);
            assertEquals(input, header(d, DeadLetters.SOURCE_TOPIC), "source topic of " + source);
            Input original = bySource.get(source);
            assertNotNull(original, "dead letter " + source + " is no hostile record's: " + header(d, DeadLetters.DETAIL));
            assertNull(seen.put(source, d), "a second dead letter for " + source);
            assertEquals(original.kind().reason, DeadLetters.reason(d.headers()),
                    original.kind() + " at " + source + ": " + header(d, DeadLetters.DETAIL));
            assertArrayEquals(original.key(), d.key(), "key bytes of " + original.kind() + " at " + source);
            assertEquals(original.timestamp(), d.timestamp(), "timestamp of " + original.kind() + " at " + source);
            if (original.kind().enormous()) {
                truncated++;
                byte[] value = original.value();
                assertEquals(Integer.toString(value.length), header(d, DeadLetters.VALUE_TRUNCATED), original.kind()
                        + ": original length");
                assertEquals(DeadLetters.sha256(value), header(d, DeadLetters.VALUE_SHA256), original.kind()
                        + ": SHA-256 of the original value");
                assertTrue(d.value().length > value.length - 2_048 && d.value().length < value.length,
                        original.kind() + ": cut only as far as needed, kept " + d.value().length + " of " + value.length);
                assertArrayEquals(Arrays.copyOf(value, d.value().length), d.value(), original.kind()
                        + ": the first bytes of the original value");
            } else {
                assertNull(d.headers().lastHeader(DeadLetters.VALUE_TRUNCATED), original.kind() + " was cut");
                assertArrayEquals(original.value(), d.value(), "value bytes of " + original.kind() + " at " + source);
            }
        }
        assertEquals(2, truncated, "the two enormous values, and only they, were cut");

        // predictions: per sensor byte-identical to the valid readings alone through a TopologyTestDriver
        Map<String, List<byte[]>> expected = testDriverRun(AppConfig.of(settings), input, predictions, mix, PARTITIONS, work);
        assertEquals(S, actual.size(), "sensors with predictions: " + actual.keySet());
        for (int k = 0; k < S; k++) {
            String key = "sensor-" + k;
            List<byte[]> want = expected.get(key);
            List<byte[]> got = actual.get(key);
            assertEquals(R, want.size(), key + " test driver");
            assertEquals(R, got.size(), key);
            for (int t = 0; t < R; t++) {
                assertArrayEquals(want.get(t), got.get(t), key + " prediction " + t + " differs from the run of the "
                        + "valid readings alone");
            }
        }
        System.out.printf("HostileInputIT: processor RUNNING; %d dead letters per reason as injected %s; %,d "
                + "predictions byte-identical to the valid readings alone; total %.1f s%n", hostile, actualPerReason,
                S * R, (System.nanoTime() - t0) / 1e9);
    }

    // ------------------------------------------------------------------------------------ the mix

    /**
     * The valid readings in time order (all sensors at step t, then t + 1), with hostile records inserted at
     * seeded random places after the first round, as many as make them {@link #HOSTILE_FRACTION} of the whole;
     * one of each kind, the rest drawn at random among the kinds that are not enormous.
     */
    static List<Input> mix(Random random) {
        int valid = S * R;
        int hostile = (int) Math.round(valid * HOSTILE_FRACTION / (1 - HOSTILE_FRACTION));
        List<Kind> kinds = new ArrayList<>(List.of(Kind.values()));
        List<Kind> ordinary = Arrays.stream(Kind.values()).filter(k -> !k.enormous()).toList();
        while (kinds.size() < hostile) {
            kinds.add(ordinary.get(random.nextInt(ordinary.size())));
        }
        Collections.shuffle(kinds, random);
        // gap g = after the g-th valid record; from S on, so every sensor has a reading before its hostile ones
        int[] gaps = new int[hostile];
        for (int i = 0; i < hostile; i++) {
            gaps[i] = S + random.nextInt(valid - S + 1);
        }
        Arrays.sort(gaps);
        List<Input> out = new ArrayList<>(valid + hostile);
        long[] last = new long[S];
        int h = 0;
        for (int n = 0; n <= valid; n++) {
            while (h < hostile && gaps[h] == n) {
                out.add(hostile(kinds.get(h), random, last, EndToEndIT.time((n - 1) / S), h));
                h++;
            }
            if (n < valid) {
                int t = n / S;
                int k = n % S;
                last[k] = EndToEndIT.time(t);
                out.add(new Input(null, null, EndToEndIT.time(t), key(k), EndToEndIT.reading(k, t)));
            }
        }
        return out;
    }

    /** A hostile record of {@code kind}; its record timestamp is {@code now}, the latest valid reading's time. */
    static Input hostile(Kind kind, Random random, long[] last, long now, int serial) {
        int k = random.nextInt(S);
        byte[] key = key(k);
        return switch (kind) {
            case RANDOM_BYTES -> new Input(kind, null, now, key, randomBytes(random, random.nextInt(200)));
            case TRUNCATED_AVRO -> {
                byte[] whole = reading(now, 1.0, 2.0);
                yield new Input(kind, null, now, key, Arrays.copyOf(whole, random.nextInt(whole.length)));
            }
            case OTHER_SCHEMA -> new Input(kind, null, now, key, PREDICTIONS.encode(Prediction.newBuilder()
                    .setEventTime(Instant.ofEpochMilli(now)).setForecast(List.of(1.0, 2.0)).setAnomalyScore(0.5)
                    .setReadingsLearned(7).setModelFingerprint("not-a-reading").build()));
            case NON_UTF8_KEY -> new Input(kind, null, now, new byte[] {(byte) 0xFF, (byte) 0xFE, 'k', (byte) serial},
                    reading(now, 1.0, 2.0));
            case ENORMOUS_BYTES -> new Input(kind, null, now, key, randomBytes(random, ENORMOUS));
            case ENORMOUS_VECTOR -> {
                // 10-byte header, event time, array block count, 8 bytes per double, array end, empty map
                double[] values = new double[(ENORMOUS - 24) / 8];
                for (int i = 0; i < values.length; i++) {
                    values[i] = random.nextGaussian();
                }
                yield new Input(kind, null, now, key, reading(now, values));
            }
            case WRONG_LENGTH -> new Input(kind, null, now, key, reading(now, 1.0, 2.0, 3.0));
            case NAN -> new Input(kind, null, now, key, reading(now, Double.NaN, 2.0));
            case INFINITE -> new Input(kind, null, now, key, reading(now, 1.0, Double.NEGATIVE_INFINITY));
            case OUT_OF_RANGE -> new Input(kind, null, now, key, reading(now, 1.0, 5e12));
            // no key: the producer would pick a partition by itself; name one
            case NULL_KEY -> new Input(kind, random.nextInt(2), now, null, reading(now, 1.0, 2.0));
            case NULL_VALUE -> new Input(kind, null, now, key, null);
            case NEGATIVE_TIME -> new Input(kind, null, now, key, reading(-1_000L * (1 + random.nextInt(5)), 1.0, 2.0));
            // record timestamp = event time, as a producer that sets it would (a dead letter keeps the event time)
            case DUPLICATE_TIME -> new Input(kind, null, last[k], key, reading(last[k], 1.0, 2.0));
            case EARLIER_TIME -> {
                long earlier = last[k] - 1_000L * (1 + random.nextInt(30));
                yield new Input(kind, null, earlier, key, reading(earlier, 1.0, 2.0));
            }
        };
    }

    static byte[] key(int k) {
        return ("sensor-" + k).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] reading(long eventTime, double... values) {
        return READINGS.encode(SensorReading.newBuilder().setEventTime(Instant.ofEpochMilli(eventTime))
                .setValues(Arrays.stream(values).boxed().toList()).setTags(Map.of()).build());
    }

    static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /**
     * Produces the mix in order with one idempotent producer (so each sensor's records keep their order) whose
     * {@code max.request.size} is above the broker's limit, so that the broker decides what is too large.
     *
     * @return the hostile records by "partition@offset"
     */
    static Map<String, Input> produce(String bootstrap, String topic, List<Input> mix) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1_048_576);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Input i : mix) {
                sent.add(producer.send(new ProducerRecord<>(topic, i.partition(), i.timestamp(), i.key(), i.value())));
            }
            producer.flush();
        }
        Map<String, Input> bySource = new HashMap<>();
        for (int n = 0; n < mix.size(); n++) {
            RecordMetadata m = sent.get(n).get();   // throws if the broker refused a record
            if (mix.get(n).kind() != null) {
                bySource.put(m.partition() + "@" + m.offset(), mix.get(n));
            }
        }
        return bySource;
    }

    /**
     * The valid readings alone, in the same order, through TopologyTestDriver runs with the same configuration:
     * one per input partition ({@code partitions}), fed the readings the producer's default partitioner puts there,
     * because in scope {@code shared} (the default) each stream task trains its own model on its own keys.
     */
    static Map<String, List<byte[]>> testDriverRun(AppConfig config, String input, String output, List<Input> mix,
                                                   int partitions, Path work) throws Exception {
        StreamSettings settings = config.streamSettings();
        Map<String, List<byte[]>> out = new HashMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            Properties props = config.kafkaProperties();
            props.put(StreamsConfig.STATE_DIR_CONFIG,
                    Files.createDirectories(work.resolve("ttd-" + partition)).toString());
            try (TopologyTestDriver driver = new TopologyTestDriver(ForecastTopology.build(settings),
                    ForecastTopology.streamsProperties(settings, props))) {
                TestInputTopic<byte[], byte[]> in = driver.createInputTopic(input, new ByteArraySerializer(),
                        new ByteArraySerializer());
                TestOutputTopic<String, byte[]> predictions = driver.createOutputTopic(output,
                        new StringDeserializer(), new ByteArrayDeserializer());
                for (Input i : mix) {
                    if (i.kind() == null && Utils.toPositive(Utils.murmur2(i.key())) % partitions == partition) {
                        in.pipeInput(i.key(), i.value(), i.timestamp());
                    }
                }
                for (TestRecord<String, byte[]> r : predictions.readRecordsToList()) {
                    out.computeIfAbsent(r.key(), x -> new ArrayList<>()).add(r.value());
                }
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
