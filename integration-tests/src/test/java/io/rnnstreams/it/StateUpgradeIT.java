package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.KafkaClients;
import io.rnnstreams.it.broker.ProcessorJvm;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.it.broker.WorkDirs;
import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.stream.ForecastTopology;
import io.rnnstreams.stream.StateCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, scenario 7 (state upgrade): key state written by a build of the previous state layout (version 0,
 * {@code KeyState-v0.avsc}) is restored from the changelog and used by this build.
 *
 * <p>The committed fixture {@link StateUpgradeFixture} holds the key-state changelog records that such a build
 * left after {@value StateUpgradeFixture#READINGS} readings of each of {@value StateUpgradeFixture#SENSORS}
 * sensors. The test writes them, byte for byte, into {@code <application.id>-rnn-key-state-changelog},
 * created as Kafka Streams creates it (compacted, as many partitions as the input, each key in its input
 * partition), starts the processor JVM on an empty state directory (so the store is restored from that
 * changelog), feeds the next {@value #NEW_READINGS} readings of each sensor, and asserts:
 * <ul>
 *   <li>the fixture really is layout 0: its messages name the v0 schema's fingerprint, not the current one,
 *       and decode with stateVersion 0;</li>
 *   <li>exactly one prediction per new reading, and the first one of every sensor says
 *       {@code readingsLearned} = fixture readings + 1 (the counters continue; a fresh state would say 1);</li>
 *   <li>the predictions are byte-identical to a TopologyTestDriver run whose store was seeded with the
 *       same upgraded state (decoded by the processor's key-state codec) -- and differ from an unseeded
 *       run's, so the restored state is what made them;</li>
 *   <li>afterwards each key's latest changelog value is layout 1 with readings = fixture + new readings.</li>
 * </ul>
 *
 * <p>The model store ({@code ModelState}) has no previous layout (version 1 is its first), so the fixture
 * holds no model records: the keys' models start from the seeded initialisation in both runs.
 */
@WithKafkaBroker
class StateUpgradeIT {
    static final int NEW_READINGS = 200;
    private static final SingleObjectCodec<Prediction> PREDICTIONS = SingleObjectCodec.of(Prediction.class);

    @Test
    void stateOfThePreviousLayoutIsRestoredFromTheChangelogAndUsed(KafkaBroker broker) throws Exception {
        List<StateUpgradeFixture.Entry> fixture = StateUpgradeFixture.read();
        int sensors = StateUpgradeFixture.SENSORS;
        int from = StateUpgradeFixture.READINGS;
        int to = from + NEW_READINGS;
        assertEquals(sensors, fixture.size(), "fixture records");
        SingleObjectCodec<KeyState> codec = StateCodec.keyStateCodec();
        long v0 = SingleObjectCodec.fingerprint(StateUpgradeFixture.v0Schema());
        long current = SingleObjectCodec.fingerprint(KeyState.getClassSchema());
        assertNotEquals(v0, current);
        Map<String, KeyState> upgraded = new LinkedHashMap<>();
        for (StateUpgradeFixture.Entry e : fixture) {
            long fingerprint = ByteBuffer.wrap(e.value(), 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(v0, fingerprint, e.keyString() + ": the fixture must be written with the v0 schema");
            KeyState state = codec.decode(e.value());
            assertEquals(0, state.getStateVersion(), e.keyString());
            assertEquals(from, state.getReadings(), e.keyString());
            upgraded.put(e.keyString(), state);
        }

        Path work = WorkDirs.create("upgrade");
        String id = work.getFileName().toString();
        String input = id + "-readings";
        String predictions = id + "-predictions";
        String deadLetters = id + "-dead-letters";
        String changelog = id + "-" + ForecastTopology.KEY_STATE_STORE + "-changelog";
        SensorFeed.createTopics(broker, input, predictions, deadLetters);
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(changelog, 4, (short) 1).configs(Map.of(
                    "cleanup.policy", "compact", "retention.ms", "-1")))).all().get(60, TimeUnit.SECONDS);
        }
        broker.createTopics(Map.of(changelog, 4));
        writeChangelog(broker.bootstrapServers(), changelog, fixture);
        SensorFeed.produce(broker.bootstrapServers(), input, sensors, from, to, SensorFeed.Invalid.NONE);

        Map<String, String> settings = SensorFeed.settings(id, broker.bootstrapServers(), work.resolve("empty-state"),
                input, predictions, deadLetters);
        settings.putAll(StateUpgradeFixture.settings());
        int total = sensors * NEW_READINGS;
        Map<String, List<byte[]>> actual;
        long t0 = System.nanoTime();
        try (ProcessorJvm jvm = ProcessorJvm.start(ProcessorJvm.locateJar(), settings, work, "run")) {
            try {
                actual = EndToEndIT.readCommitted(broker.bootstrapServers(), predictions, total, Duration.ofMinutes(3));
                assertTrue(jvm.isAlive(), "the processor JVM exited with code " + jvm.exitCode());
            } catch (Throwable e) {
                System.out.println("StateUpgradeIT failed; processor logs: " + jvm.logs());
                throw e;
            }
        }
        System.out.printf("StateUpgradeIT: %d layout-0 key states restored, %,d predictions committed in %.1f s%n",
                sensors, total, (System.nanoTime() - t0) / 1e9);

        AppConfig config = AppConfig.of(settings);
        DriverRun.Result seeded = DriverRun.run(config, sensors, from, to, SensorFeed.Invalid.NONE,
                work.resolve("ttd-seeded"), driver -> {
                    KeyValueStore<String, KeyState> store = driver.getKeyValueStore(ForecastTopology.KEY_STATE_STORE);
                    upgraded.forEach(store::put);
                });
        DriverRun.Result fresh = DriverRun.run(config, sensors, from, to, SensorFeed.Invalid.NONE,
                work.resolve("ttd-fresh"), null);
        assertEquals(total, actual.values().stream().mapToInt(List::size).sum(), "one prediction per new reading");
        for (int k = 0; k < sensors; k++) {
            String key = SensorFeed.key(k);
            List<byte[]> got = actual.get(key);
            List<byte[]> want = seeded.predictions().get(key);
            assertEquals(NEW_READINGS, got.size(), key);
            assertEquals(from + 1, PREDICTIONS.decode(got.get(0)).getReadingsLearned(),
                    key + ": the first prediction after the upgrade continues the restored counters");
            assertEquals(to, PREDICTIONS.decode(got.get(NEW_READINGS - 1)).getReadingsLearned(), key);
            assertEquals(1, PREDICTIONS.decode(fresh.predictions().get(key).get(0)).getReadingsLearned(),
                    key + ": a fresh state starts at 1");
            for (int i = 0; i < NEW_READINGS; i++) {
                assertArrayEquals(want.get(i), got.get(i), key + " prediction " + i
                        + " differs from the test driver seeded with the upgraded state");
            }
            assertFalse(Arrays.equals(fresh.predictions().get(key).get(NEW_READINGS - 1), got.get(NEW_READINGS - 1)),
                    key + ": without the restored state the predictions would differ");
        }

        Map<String, byte[]> after = KafkaClients.latestValues(broker.bootstrapServers(), changelog,
                Duration.ofMinutes(1));
        assertEquals(upgraded.keySet(), after.keySet());
        for (Map.Entry<String, byte[]> e : after.entrySet()) {
            KeyState state = codec.decode(e.getValue());
            assertEquals(StateCodec.STATE_VERSION, state.getStateVersion(), e.getKey() + " rewritten in layout 1");
            assertEquals(to, state.getReadings(), e.getKey());
            assertEquals(to, state.getNormaliserCount(), e.getKey());
        }
        System.out.printf("StateUpgradeIT: %d sensors continued from %d readings of layout-0 state to %d; %,d "
                + "predictions byte-identical to the seeded TopologyTestDriver run%n", sensors, from, to, total);
    }

    /** The fixture's records, byte for byte, each to its key's partition (the default partitioner, as the input). */
    private static void writeChangelog(String bootstrap, String topic, List<StateUpgradeFixture.Entry> fixture)
            throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (StateUpgradeFixture.Entry e : fixture) {
                producer.send(new ProducerRecord<>(topic, e.key(), e.value())).get(60, TimeUnit.SECONDS);
            }
        }
    }
}
