package io.rnnstreams.stream;

import static io.rnnstreams.stream.TopologyFixture.forecast;
import static io.rnnstreams.stream.TopologyFixture.reading;
import static io.rnnstreams.stream.TopologyFixture.time;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.Prediction;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.Learner;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.Observation;
import io.rnnstreams.model.OnlineForecaster;
import io.rnnstreams.model.SequenceState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The topology against the engine fed directly: counts, keys, order, and forecasts to the bit. */
class ForecastTopologyTest {
    static final int K = 6;
    static final int N = 200;

    @TempDir
    Path stateDir;

    /** Expected forecasts per key from the engine itself, fed in the topology's input order. */
    static Map<String, List<double[]>> engineForecasts(ModelScope scope, int from, int to) {
        Map<String, List<double[]>> expected = new HashMap<>();
        if (scope == ModelScope.KEY) {
            for (int k = 0; k < K; k++) {
                Learner learner = new Learner(TopologyFixture.learner());
                List<double[]> list = new ArrayList<>();
                for (int t = 0; t < to; t++) {
                    Observation o = learner.observe(reading(k, t));
                    if (t >= from) {
                        list.add(o.forecast());
                    }
                }
                expected.put("sensor-" + k, list);
            }
        } else {
            Model shared = new Model(TopologyFixture.learner());
            OnlineForecaster forecaster = new OnlineForecaster(TopologyFixture.learner());
            SequenceState[] sequences = new SequenceState[K];
            for (int k = 0; k < K; k++) {
                sequences[k] = new SequenceState(TopologyFixture.learner());
                expected.put("sensor-" + k, new ArrayList<>());
            }
            for (int t = 0; t < to; t++) {
                for (int k = 0; k < K; k++) {
                    Observation o = forecaster.observe(shared, sequences[k], reading(k, t));
                    if (t >= from) {
                        expected.get("sensor-" + k).add(o.forecast());
                    }
                }
            }
        }
        return expected;
    }

    static void feed(TopologyFixture f, int from, int to) {
        for (int t = from; t < to; t++) {
            for (int k = 0; k < K; k++) {
                f.send("sensor-" + k, time(t), reading(k, t));
            }
        }
    }

    static void assertPredictions(List<TestRecord<String, byte[]>> out, Map<String, List<double[]>> expected,
                                  int perKey) {
        assertEquals(K * perKey, out.size(), "one prediction per reading");
        Map<String, Integer> seen = new HashMap<>();
        for (TestRecord<String, byte[]> r : out) {
            Prediction p = TopologyFixture.decode(r.value());
            int i = seen.merge(r.key(), 1, Integer::sum) - 1;
            double[] want = expected.get(r.key()).get(i);
            double[] got = forecast(p);
            for (int c = 0; c < want.length; c++) {
                assertEquals(Double.doubleToRawLongBits(want[c]), Double.doubleToRawLongBits(got[c]),
                        r.key() + " prediction " + i + " channel " + c + ": " + want[c] + " vs " + got[c]);
            }
            assertEquals(TopologyFixture.learner().fingerprint(), p.getModelFingerprint());
        }
        for (int k = 0; k < K; k++) {
            assertEquals(perKey, seen.get("sensor-" + k));
        }
    }

    @ParameterizedTest
    @EnumSource(ModelScope.class)
    void everyReadingYieldsThePredictionTheEngineMakes(ModelScope scope) {
        try (TopologyFixture f = new TopologyFixture(TopologyFixture.settings(scope), stateDir)) {
            feed(f, 0, N);
            List<TestRecord<String, byte[]>> out = f.predictions.readRecordsToList();
            assertPredictions(out, engineForecasts(scope, 0, N), N);
            assertTrue(f.deadLetters.isEmpty());
            // in order per key: event times strictly increase, readingsLearned counts 1..N
            Map<String, Long> last = new HashMap<>();
            Map<String, Long> count = new HashMap<>();
            for (TestRecord<String, byte[]> r : out) {
                Prediction p = TopologyFixture.decode(r.value());
                long t = p.getEventTime().toEpochMilli();
                assertTrue(t > last.getOrDefault(r.key(), Long.MIN_VALUE));
                last.put(r.key(), t);
                assertEquals(count.merge(r.key(), 1L, Long::sum), p.getReadingsLearned());
                assertEquals(t, r.timestamp(), "the prediction carries its reading's event time");
                assertTrue(p.getAnomalyScore() >= 0 && p.getAnomalyScore() <= 1);
                assertFalse(p.getStateReset());
            }
            assertEquals((double) K * N, metric(f, "readings-total"), 0.0);
            assertEquals((double) K * N, metric(f, "predictions-total"), 0.0);
        }
    }

    /**
     * A new instance that starts from the stored state of a stopped one (what restoring the changelogs gives
     * it) continues bit-identically, with its in-memory model cache cold. TopologyTestDriver deletes its state
     * directory on close, so the stores' contents are carried over explicitly; crash and restart of a real
     * instance against a broker are the integration tests' job.
     */
    @ParameterizedTest
    @EnumSource(ModelScope.class)
    void freshInstanceOnTheStoredStateContinuesBitIdentically(ModelScope scope) {
        Map<String, io.rnnstreams.avro.KeyState> keyStates = new HashMap<>();
        Map<String, io.rnnstreams.avro.ModelState> modelStates = new HashMap<>();
        try (TopologyFixture f = new TopologyFixture(TopologyFixture.settings(scope), stateDir.resolve("first"))) {
            feed(f, 0, N / 2);
            assertEquals(K * N / 2, f.predictions.readRecordsToList().size());
            f.driver.<String, io.rnnstreams.avro.KeyState>getKeyValueStore(ForecastTopology.KEY_STATE_STORE).all()
                    .forEachRemaining(kv -> keyStates.put(kv.key, kv.value));
            f.driver.<String, io.rnnstreams.avro.ModelState>getKeyValueStore(ForecastTopology.MODEL_STORE).all()
                    .forEachRemaining(kv -> modelStates.put(kv.key, kv.value));
        }
        assertEquals(K, keyStates.size());
        assertEquals(scope == ModelScope.KEY ? K : 1, modelStates.size());
        try (TopologyFixture f = new TopologyFixture(TopologyFixture.settings(scope), stateDir.resolve("second"))) {
            var keys = f.driver.<String, io.rnnstreams.avro.KeyState>getKeyValueStore(ForecastTopology.KEY_STATE_STORE);
            keyStates.forEach(keys::put);
            var models = f.driver.<String, io.rnnstreams.avro.ModelState>getKeyValueStore(ForecastTopology.MODEL_STORE);
            modelStates.forEach(models::put);
            feed(f, N / 2, N);
            assertPredictions(f.predictions.readRecordsToList(), engineForecasts(scope, N / 2, N), N - N / 2);
        }
    }

    @Test
    void horizonCarriesTheRolloutOfTheEngine() {
        int horizon = 4;
        try (TopologyFixture f = new TopologyFixture(TopologyFixture.settings(ModelScope.KEY, horizon), stateDir)) {
            Learner learner = new Learner(TopologyFixture.learner());
            for (int t = 0; t < 50; t++) {
                f.send("sensor-0", time(t), reading(0, t));
                learner.observe(reading(0, t));
            }
            List<TestRecord<String, byte[]>> out = f.predictions.readRecordsToList();
            Prediction p = TopologyFixture.decode(out.get(out.size() - 1).value());
            double[][] want = learner.forecast(horizon);
            assertEquals(horizon, p.getHorizon().size());
            for (int s = 0; s < horizon; s++) {
                for (int c = 0; c < 2; c++) {
                    assertEquals(want[s][c], p.getHorizon().get(s).get(c), 0.0);
                }
            }
            assertEquals(p.getForecast(), p.getHorizon().get(0));
        }
    }

    @Test
    void gapLongerThanTheSettingResetsTheRecurrentStateButKeepsTheWeights() {
        try (TopologyFixture f = new TopologyFixture(TopologyFixture.settings(ModelScope.KEY), stateDir)) {
            for (int t = 0; t < 40; t++) {
                f.send("s", time(t), reading(0, t));
            }
            // 2 hours later: beyond the 1 hour gap
            long later = time(39) + 2 * 3_600_000L;
            f.send("s", later, reading(0, 40));
            f.send("s", later + 60_000, reading(0, 41));
            List<TestRecord<String, byte[]>> out = f.predictions.readRecordsToList();
            Prediction afterGap = TopologyFixture.decode(out.get(40).value());
            Prediction next = TopologyFixture.decode(out.get(41).value());
            assertTrue(afterGap.getStateReset());
            assertNull(afterGap.getPreviousError(), "no forecast survives a reset to be scored");
            assertFalse(next.getStateReset());
            assertEquals(41L, afterGap.getReadingsLearned());
            assertEquals(1.0, metric(f, "gap-resets-total"), 0.0);

            // the engine, reset the same way: same forecasts, so the weights were kept
            Learner learner = new Learner(TopologyFixture.learner());
            for (int t = 0; t < 40; t++) {
                learner.observe(reading(0, t));
            }
            learner.sequence().resetRecurrentState();
            double[] want = learner.observe(reading(0, 40)).forecast();
            assertEquals(want[0], forecast(afterGap)[0], 0.0);
            assertEquals(want[1], forecast(afterGap)[1], 0.0);
        }
    }

    /**
     * An hourly sensor that misses a reading keeps its recurrent state (the gap rule follows its own rhythm);
     * the anomaly fields: warming up at first (the warm-up, then the level test's fit), then one alarm for a
     * spike, naming its channel.
     */
    @Test
    void aMissedHourlyReadingKeepsTheStateAndASpikeRaisesOneAlarmOnItsChannel() {
        try (TopologyFixture f = new TopologyFixture(TopologyFixture.settings(ModelScope.KEY), stateDir)) {
            long hour = 3_600_000L;
            for (int t = 0; t < 300; t++) {
                if (t == 120) {
                    continue; // missed: a 2 h pause, beyond the fixed 1 h fallback
                }
                double[] x = reading(0, t);
                if (t == 250) {
                    x[1] += 1000;
                }
                f.send("s", 1_700_000_000_000L + t * hour, x);
            }
            List<Prediction> out = f.predictions.readRecordsToList().stream()
                    .map(r -> TopologyFixture.decode(r.value())).toList();
            assertEquals(299, out.size());
            Prediction afterMiss = out.get(120); // reading 121
            assertFalse(afterMiss.getStateReset(), "one missed hourly reading keeps the state");
            assertNotNull(afterMiss.getPreviousError());
            assertEquals(0.0, metric(f, "gap-resets-total"), 0.0);
            assertTrue(out.get(0).getWarmingUp());
            assertEquals(List.of(), out.get(0).getChannelContributions());
            // the warm-up (100 readings), then the level test's fit (about 60 more): scored from reading 162
            assertTrue(out.get(150).getWarmingUp());
            assertFalse(out.get(170).getWarmingUp());
            Prediction spike = out.get(249); // reading 250
            assertTrue(spike.getAnomaly(), "the spike raises an alarm, score " + spike.getAnomalyScore());
            assertTrue(spike.getChannelContributions().get(1) > 0.9, spike.getChannelContributions().toString());
            long alarms = out.stream().filter(Prediction::getAnomaly).count();
            assertEquals(1, alarms, "one alarm in all 299 predictions");
        }
    }

    /**
     * Issue 12 item 7: a key is idle when this task has not seen a reading of it for the retention in wall-clock
     * time; another sensor's clock (far ahead, or an old series replayed after a newer one) cannot make it idle.
     */
    @Test
    void idleKeysAreRemovedAfterTheRetentionOfWallClockTimeNotBecauseOfAnotherKeysClock() {
        try (TopologyFixture f = new TopologyFixture(TopologyFixture.settings(ModelScope.KEY), stateDir)) {
            var keyStore = f.driver.<String, io.rnnstreams.avro.KeyState>getKeyValueStore(
                    ForecastTopology.KEY_STATE_STORE);
            var modelStore = f.driver.<String, io.rnnstreams.avro.ModelState>getKeyValueStore(
                    ForecastTopology.MODEL_STORE);
            long t0 = time(0);
            for (int t = 0; t < 10; t++) {
                f.send("idle", t0 + t * 60_000L, reading(0, t));
            }
            assertTrue(keyStore.get("idle") != null && modelStore.get("idle") != null);
            // another sensor's event time 26 h ahead (retention 1 d) does not make "idle" idle
            f.send("busy", t0 + 26 * 3_600_000L, reading(1, 0));
            f.driver.advanceWallClockTime(java.time.Duration.ofHours(2));
            assertTrue(keyStore.get("idle") != null, "removed because of another key's clock");
            assertEquals(0.0, metric(f, "idle-removals-total"), 0.0);
            // 23 h of wall-clock time later both are kept; "busy" reads again; 3 h later "idle" is gone
            f.driver.advanceWallClockTime(java.time.Duration.ofHours(21));
            assertTrue(keyStore.get("idle") != null);
            f.send("busy", t0 + 27 * 3_600_000L, reading(1, 1));
            f.driver.advanceWallClockTime(java.time.Duration.ofHours(3));
            assertNull(keyStore.get("idle"));
            assertNull(modelStore.get("idle"));
            assertTrue(keyStore.get("busy") != null);
            assertEquals(1.0, metric(f, "idle-removals-total"), 0.0);
            // it comes back as a new sensor
            f.send("idle", t0 + 28 * 3_600_000L, reading(0, 0));
            List<TestRecord<String, byte[]>> out = f.predictions.readRecordsToList();
            Prediction back = TopologyFixture.decode(out.get(out.size() - 1).value());
            assertEquals(1L, back.getReadingsLearned());
        }
    }

    @Test
    void aTopicPatternReadsEveryMatchingTopic() {
        StreamSettings base = TopologyFixture.settings(ModelScope.KEY);
        StreamSettings byPattern = new StreamSettings(List.of(), java.util.regex.Pattern.compile("plant-[ab]\\.sensors"),
                base.predictionsTopic(), base.deadLetterTopic(), base.scope(), base.learner(), 1, base.gapReset(),
                base.gapMultiple(), base.idleRetention(), base.idleScanInterval(), base.maxAbsValue(), base.anomaly(),
                10, null);
        try (TopologyFixture f = new TopologyFixture(byPattern, stateDir)) {
            var serializer = new org.apache.kafka.common.serialization.ByteArraySerializer();
            var a = f.driver.createInputTopic("plant-a.sensors", serializer, serializer);
            var b = f.driver.createInputTopic("plant-b.sensors", serializer, serializer);
            for (int t = 0; t < 5; t++) {
                a.pipeInput(TopologyFixture.key("a-1"), TopologyFixture.encode(time(t), reading(0, t)), time(t));
                b.pipeInput(TopologyFixture.key("b-1"), TopologyFixture.encode(time(t), reading(1, t)), time(t));
            }
            List<TestRecord<String, byte[]>> out = f.predictions.readRecordsToList();
            assertEquals(10, out.size());
            assertEquals(5, out.stream().filter(r -> r.key().equals("a-1")).count());
            assertEquals(5, out.stream().filter(r -> r.key().equals("b-1")).count());
        }
    }

    static double metric(TopologyFixture f, String name) {
        return f.driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().equals(ProcessorMetrics.GROUP))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}
