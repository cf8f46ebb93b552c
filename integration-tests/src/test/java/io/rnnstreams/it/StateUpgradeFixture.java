package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.stream.ForecastTopology;
import io.rnnstreams.stream.StateCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The committed changelog fixture of {@link StateUpgradeIT}: key-state changelog records (key bytes, value
 * bytes) as a build of state layout 0 wrote them, i.e. single-object Avro messages of
 * {@code KeyState-v0.avsc} (before {@code errorStats} and {@code modelVersion}), in
 * {@value #RESOURCE}: one record per line, {@code hex(key) hex(value)}, after {@code #} comment lines.
 *
 * <p>How it was made: {@value #SENSORS} sensors x readings 0..{@value #READINGS}-1 of {@link SensorFeed} ran
 * through the topology in a TopologyTestDriver with {@link #settings()}; each key's final {@code KeyState} was
 * rewritten field by field into a {@code KeyState-v0} record with {@code stateVersion} 0 (the sequence fields
 * are the same in both layouts; the fields added in layout 1 are dropped) and encoded with Avro's own
 * {@link BinaryMessageEncoder} for that schema. The test reads the committed bytes; it never regenerates them.
 * To regenerate (only if the fixture must change, e.g. a new shape):
 * <pre>
 * mvn -B -pl integration-tests -am test -Dtest=StateUpgradeFixture -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dstate-upgrade.regenerate=true
 * </pre>
 * which writes {@code integration-tests/src/test/resources/}{@value #RESOURCE}.
 */
class StateUpgradeFixture {
    static final String RESOURCE = "state-upgrade/rnn-key-state-changelog-v0.txt";
    static final int SENSORS = 4;
    static final int READINGS = 300;

    /** The model configuration the fixture's state belongs to (its vector lengths depend on it). */
    static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        // the v0 layout is the plain RNN's key-scope state (the default was then rnn.learner=rnn, scope key)
        s.put("rnn.learner", "rnn");
        s.put("rnn.model.scope", "key");
        s.put("rnn.model.channels", "2");
        s.put("rnn.model.cell", "lstm");
        s.put("rnn.model.hidden", "12");
        s.put("rnn.model.residual", "true");
        s.put("rnn.train.normalise", "true");
        s.put("rnn.train.k1", "8");
        s.put("rnn.train.k2", "8");
        return s;
    }

    /** One changelog record. */
    record Entry(byte[] key, byte[] value) {
        String keyString() {
            return new String(key, StandardCharsets.UTF_8);
        }
    }

    /** The committed records, from the test class path. */
    static List<Entry> read() {
        try (InputStream in = StateUpgradeFixture.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Entry> parse(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] parts = line.trim().split(" ");
                entries.add(new Entry(HexFormat.of().parseHex(parts[0]), HexFormat.of().parseHex(parts[1])));
            }
        }
        return entries;
    }

    /** The layout-0 writer schema, as the processor's class path carries it. */
    static Schema v0Schema() {
        String resource = StateCodec.KEY_STATE_HISTORY.get(0);
        try (InputStream in = StateUpgradeFixture.class.getClassLoader().getResourceAsStream(resource)) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "state-upgrade.regenerate", matches = "true")
    void regenerate() throws Exception {
        Path work = Files.createTempDirectory("state-upgrade-fixture");
        Map<String, String> all = new LinkedHashMap<>(settings());
        all.put("application.id", "state-upgrade-fixture");
        all.put("bootstrap.servers", "unused:9092");
        all.put("rnn.topic.input", "readings");
        Map<String, KeyState> finalStates = new LinkedHashMap<>();
        DriverRun.run(AppConfig.of(all), SENSORS, 0, READINGS, SensorFeed.Invalid.NONE, work.resolve("ttd"), null,
                driver -> {
                    KeyValueStore<String, KeyState> store = driver.getKeyValueStore(ForecastTopology.KEY_STATE_STORE);
                    for (int k = 0; k < SENSORS; k++) {
                        finalStates.put(SensorFeed.key(k), store.get(SensorFeed.key(k)));
                    }
                });
        Schema v0 = v0Schema();
        BinaryMessageEncoder<GenericRecord> encoder = new BinaryMessageEncoder<>(GenericData.get(), v0);
        StringBuilder out = new StringBuilder();
        out.append("# KeyState changelog records written with layout 0 (KeyState-v0.avsc), generated by\n")
                .append("# io.rnnstreams.it.StateUpgradeFixture#regenerate: ").append(SENSORS).append(" sensors x ")
                .append(READINGS).append(" readings, settings ").append(settings()).append('\n')
                .append("# one record per line: hex(key bytes) hex(value bytes)\n");
        for (Map.Entry<String, KeyState> e : finalStates.entrySet()) {
            KeyState s = e.getValue();
            assertEquals(READINGS, s.getReadings(), e.getKey());
            GenericRecord r = new GenericData.Record(v0);
            r.put("stateVersion", 0);
            r.put("lastEventTime", s.getLastEventTime().toEpochMilli());
            r.put("hiddenState", copy(s.getHiddenState()));
            r.put("anchor", copy(s.getAnchor()));
            r.put("windowInputs", copy(s.getWindowInputs()));
            r.put("windowTargets", copy(s.getWindowTargets()));
            r.put("windowCount", s.getWindowCount());
            r.put("windowHead", s.getWindowHead());
            r.put("pushesSinceUpdate", s.getPushesSinceUpdate());
            r.put("normaliserCount", s.getNormaliserCount());
            r.put("normaliserMean", copy(s.getNormaliserMean()));
            r.put("normaliserM2", copy(s.getNormaliserM2()));
            r.put("lastInput", copy(s.getLastInput()));
            r.put("hasLastInput", s.getHasLastInput());
            r.put("lastForecast", copy(s.getLastForecast()));
            r.put("readings", s.getReadings());
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            encoder.encode(r, value);
            out.append(HexFormat.of().formatHex(e.getKey().getBytes(StandardCharsets.UTF_8))).append(' ')
                    .append(HexFormat.of().formatHex(value.toByteArray())).append('\n');
        }
        Path target = Path.of("src/test/resources").resolve(RESOURCE).toAbsolutePath();
        Files.createDirectories(target.getParent());
        Files.writeString(target, out.toString());
        System.out.println("StateUpgradeFixture: wrote " + finalStates.size() + " records to " + target);
        SingleObjectCodec<KeyState> check = StateCodec.keyStateCodec();
        for (Entry entry : parse(Files.readString(target))) {
            assertEquals(0, check.decode(entry.value()).getStateVersion());
        }
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] bytes = new byte[d.remaining()];
        d.get(bytes);
        return ByteBuffer.wrap(bytes);
    }
}
