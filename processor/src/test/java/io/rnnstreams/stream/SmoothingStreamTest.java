package io.rnnstreams.stream;

import static io.rnnstreams.stream.TopologyFixture.reading;
import static io.rnnstreams.stream.TopologyFixture.time;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.LaggedOutput;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.config.Smoothing;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.eval.detection.AnomalyDetector;
import io.rnnstreams.eval.detection.LaggedOnset;
import io.rnnstreams.eval.detection.LaggedScore;
import io.rnnstreams.eval.detection.LaggedSignals;
import io.rnnstreams.eval.detection.LaggedVerdict;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.FixedLagSmoothing;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.model.SmootherConfig;
import io.rnnstreams.model.SmootherModel;
import io.rnnstreams.model.SmootherState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code rnn.smoothing.lag=L}: for every reading of a key, once {@code L} later readings of it arrived, one
 * {@link LaggedOutput} goes to the lagged topic, equal bit for bit to the engine's smoother fed in process
 * ({@link FixedLagSmoothing} with a {@link SmootherModel} per key, or one shared, and a {@link SmootherState} per
 * key; the lagged score from an {@link AnomalyDetector} fed the judged reading and its residual, as the accuracy
 * suite's lagged detector; the lagged score, its onset-dated score and the lagged alarm from {@link LaggedVerdict}
 * fed the online verdicts of the run without smoothing, which an engine-side {@link AnomalyDetector} recomputes from
 * its predictions). The predictions are those of a run without smoothing, byte for byte.
 */
class SmoothingStreamTest {
    static final int K = 3;
    static final int READINGS = 240;
    static final int L = 3;
    static final SingleObjectCodec<LaggedOutput> LAGGED = SingleObjectCodec.of(LaggedOutput.class);

    @TempDir
    Path stateDir;

    static StreamSettings settings(ModelScope scope) {
        return TopologyFixture.settings(scope).withSmoothing(new Smoothing(L,
                Smoothing.defaultTopic(TopologyFixture.PREDICTIONS)));
    }

    static TestOutputTopic<String, byte[]> lagged(TopologyFixture f) {
        return f.driver.createOutputTopic(f.settings.smoothing().laggedTopic(), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** The engine's smoother of one scope, fed reading by reading; the judgement each reading makes (or null). */
    private static final class InProcess {
        private final SmootherConfig config;
        private final ModelScope scope;
        private final Map<String, SmootherModel> models = new HashMap<>();
        private final Map<String, SmootherState> states = new HashMap<>();
        private final Map<String, double[]> detectors = new HashMap<>();
        private final Map<String, List<double[]>> readings = new HashMap<>();
        private final FixedLagSmoothing smoothing;
        private final AnomalyDetector detector;
        /** Where every model starts, or null for the seeded initialisation. */
        private final ModelSnapshot initial;

        InProcess(StreamSettings settings) {
            this(settings, null);
        }

        InProcess(StreamSettings settings, ModelSnapshot initial) {
            this.initial = initial;
            this.config = settings.smootherConfig();
            this.scope = settings.scope();
            this.smoothing = new FixedLagSmoothing(config);
            this.detector = new AnomalyDetector(settings.anomaly(), config.channels());
        }

        /** {smoothed, residual, {score}} of the reading L back, or null. */
        double[][] observe(String key, double[] reading) {
            SmootherModel model = models.computeIfAbsent(scope == ModelScope.KEY ? key : "shared",
                    k -> new SmootherModel(config, initial));
            SmootherState state = states.computeIfAbsent(key, k -> new SmootherState(config));
            List<double[]> seen = readings.computeIfAbsent(key, k -> new ArrayList<>());
            seen.add(reading.clone());
            FixedLagSmoothing.Smoothed s = smoothing.observe(model, state, reading);
            if (s == null) {
                return null;
            }
            double[] detectorState = detectors.computeIfAbsent(key, k -> detector.newState());
            AnomalyDetector.Result verdict = detector.update(detectorState, seen.get((int) s.reading()).clone(),
                    s.residual());
            return new double[][] {s.value(), s.residual(), {verdict.score(), verdict.warmingUp() ? 1 : 0}};
        }
    }

    /**
     * The fixture's smooth reading with faults, so that the lagged alarm and the onset dating have something to do:
     * sensor-1's first channel shifts by 6 from reading 170 on (a change), sensor-2's second channel spikes by 8 at
     * reading 150 (a lone spike; it falls in both detectors' warm-up, their first 161 readings, so it raises no
     * alarm), sensor-0's second channel ramps up by 0.3 per reading from reading 180 on (a change with a build-up,
     * which the onset dating dates back).
     */
    static double[] faulty(int k, int t) {
        double[] r = reading(k, t);
        if (k == 1 && t >= 170) {
            r[0] += 6.0;
        }
        if (k == 2 && t == 150) {
            r[1] += 8.0;
        }
        if (k == 0 && t >= 180) {
            r[1] += 0.3 * (t - 180);
        }
        return r;
    }

    /** The outputs of {@code out} that match, as {@code key@sequence}, in the topic's order. */
    private static List<String> where(List<TestRecord<String, byte[]>> out,
                                      java.util.function.Predicate<LaggedOutput> match) {
        return out.stream().map(r -> LAGGED.decode(r.value())).filter(match)
                .map(o -> o.getSensor() + "@" + o.getSequence()).toList();
    }

    private static double[] values(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void feed(TopologyFixture f, int from, int to) {
        for (int t = from; t < to; t++) {
            for (int k = 0; k < K; k++) {
                f.send("sensor-" + k, time(t), faulty(k, t));
            }
        }
    }

    /** Asserts that {@code out} holds, per key in order, the lagged outputs of readings {@code from..to-L-1}. */
    private static void assertLagged(List<TestRecord<String, byte[]>> out, Map<String, List<double[][]>> expected,
                                     int from, int to) {
        Map<String, Integer> next = new HashMap<>();
        for (TestRecord<String, byte[]> r : out) {
            LaggedOutput o = LAGGED.decode(r.value());
            assertEquals(r.key(), o.getSensor());
            int m = next.merge(r.key(), 1, Integer::sum) - 1 + from; // 0-based reading judged
            double[][] e = expected.get(r.key()).get(m);
            assertNotNull(e, r.key() + " reading " + m + " was judged");
            assertEquals(m + 1, o.getSequence(), r.key());
            assertEquals(time(m), o.getEventTime().toEpochMilli(), "the judged reading's event time");
            assertEquals(time(m + L), r.timestamp(), "stamped when it became known");
            assertEquals(L, o.getLag());
            assertArrayEquals(e[0], values(o.getSmoothed()), 0.0, r.key() + " smoothed " + m);
            assertArrayEquals(e[1], values(o.getResidual()), 0.0, r.key() + " residual " + m);
            assertEquals(e[2][0], o.getLaggedScore(), 0.0, r.key() + " score " + m);
            assertEquals(e[2][1] == 1, o.getWarmingUp());
            assertEquals(e[3][0], o.getScore(), 0.0, r.key() + " lagged score " + m);
            assertEquals(e[3][1], o.getDated(), 0.0, r.key() + " dated score " + m);
            assertEquals(e[3][2] == 1, o.getAnomaly(), r.key() + " lagged alarm " + m);
        }
        for (int k = 0; k < K; k++) {
            assertEquals(to - L - from, next.getOrDefault("sensor-" + k, 0), "one per reading once L later arrived");
        }
        assertEquals(K * (to - L - from), out.size());
    }

    private static Map<String, List<double[][]>> inProcess(StreamSettings settings) {
        return inProcess(settings, null);
    }

    /**
     * Per key, the online detector's verdicts on its readings in a run of the topology without smoothing (the
     * predictions are the same with it): an engine-side {@link AnomalyDetector} per key fed each reading and its
     * prediction's {@code previousError}, as the stream's is; its scores are asserted equal, bit for bit, to the
     * predictions' {@code anomalyScore}, and its signals (which a prediction does not carry) are the stream's.
     */
    private Map<String, List<AnomalyDetector.Result>> onlineScores(ModelScope scope, String dir) {
        StreamSettings plain = TopologyFixture.settings(scope);
        AnomalyDetector detector = new AnomalyDetector(plain.anomaly(), plain.channels());
        Map<String, double[]> states = new HashMap<>();
        Map<String, List<AnomalyDetector.Result>> verdicts = new HashMap<>();
        try (TopologyFixture f = new TopologyFixture(plain, stateDir.resolve(dir))) {
            feed(f, 0, READINGS);
            for (TestRecord<String, byte[]> r : f.predictions.readRecordsToList()) {
                Prediction p = StateCodec.predictionCodec().decode(r.value());
                List<AnomalyDetector.Result> seen = verdicts.computeIfAbsent(r.key(), k -> new ArrayList<>());
                int t = seen.size();
                AnomalyDetector.Result v = detector.update(states.computeIfAbsent(r.key(), k -> detector.newState()),
                        faulty(Integer.parseInt(r.key().substring("sensor-".length())), t),
                        p.getPreviousError() == null ? null : values(p.getPreviousError()));
                assertEquals(p.getAnomalyScore(), v.score(), 0.0, r.key() + " online score " + t);
                assertEquals(p.getAnomaly(), v.alarm(), r.key() + " online alarm " + t);
                seen.add(v);
            }
        }
        return verdicts;
    }

    /**
     * {@code expected} with each judgement's lagged verdict ({@code e[3] = {score, dated, alarm}}): a
     * {@link LaggedVerdict} per key (the detection rows' {@link LaggedScore}, {@link LaggedSignals},
     * {@link LaggedOnset} and {@link io.rnnstreams.eval.detection.AlarmGate}, with the online detector's threshold,
     * quiet and escalation) fed the online evidence ({@link AnomalyDetector.Result#evidence}) and signals of every
     * reading.
     */
    private static Map<String, List<double[][]>> withLaggedScores(Map<String, List<double[][]>> expected,
                                                                  Map<String, List<AnomalyDetector.Result>> online) {
        Map<String, List<double[][]>> scored = new HashMap<>();
        LaggedVerdict lagged = LaggedVerdict.of(L, TopologyFixture.settings(ModelScope.KEY).anomaly());
        expected.forEach((key, judged) -> {
            double[] state = lagged.newState();
            List<double[][]> out = new ArrayList<>();
            for (int t = 0; t < READINGS; t++) {
                double[][] e = t >= L ? judged.get(t - L) : null;
                AnomalyDetector.Result o = online.get(key).get(t);
                LaggedVerdict.Result v = lagged.update(state, o.evidence(), o.signals());
                if (e != null) {
                    out.add(new double[][] {e[0], e[1], e[2], {v.score(), v.dated(), v.alarm() ? 1 : 0}});
                }
            }
            scored.put(key, out);
        });
        return scored;
    }

    private static Map<String, List<double[][]>> inProcess(StreamSettings settings, ModelSnapshot initial) {
        InProcess engine = new InProcess(settings, initial);
        Map<String, List<double[][]>> expected = new HashMap<>();
        for (int t = 0; t < READINGS; t++) {
            for (int k = 0; k < K; k++) {
                double[][] judged = engine.observe("sensor-" + k, faulty(k, t));
                if (judged != null) {
                    expected.computeIfAbsent("sensor-" + k, x -> new ArrayList<>()).add(judged);
                }
            }
        }
        return expected;
    }

    @ParameterizedTest
    @EnumSource(ModelScope.class)
    void oneLaggedOutputPerReadingEqualToTheInProcessSmootherAndThePredictionsUnchanged(ModelScope scope) {
        StreamSettings settings = settings(scope);
        Map<String, List<AnomalyDetector.Result>> online = onlineScores(scope, "online");
        Map<String, List<double[][]>> expected = withLaggedScores(inProcess(settings), online);
        List<String> onlineAlarms = new ArrayList<>();
        online.forEach((key, verdicts) -> {
            for (int t = 0; t < verdicts.size(); t++) {
                if (verdicts.get(t).alarm()) {
                    onlineAlarms.add(key + "@" + (t + 1));
                }
            }
        });
        List<byte[]> plain = new ArrayList<>();
        try (TopologyFixture f = new TopologyFixture(TopologyFixture.settings(scope), stateDir.resolve("off"))) {
            feed(f, 0, READINGS);
            f.predictions.readRecordsToList().forEach(r -> plain.add(r.value()));
        }
        try (TopologyFixture f = new TopologyFixture(settings, stateDir.resolve("on"))) {
            TestOutputTopic<String, byte[]> lagged = lagged(f);
            feed(f, 0, READINGS);
            List<TestRecord<String, byte[]>> predictions = f.predictions.readRecordsToList();
            assertEquals(plain.size(), predictions.size());
            for (int j = 0; j < plain.size(); j++) {
                assertArrayEquals(plain.get(j), predictions.get(j).value(), "prediction " + j + " unchanged");
            }
            List<TestRecord<String, byte[]>> out = lagged.readRecordsToList();
            assertLagged(out, expected, 0, READINGS);
            // The faults' verdicts, pinned: the reference above is the same LaggedVerdict and AnomalyDetector, so
            // a fault in them would be matched bit for bit. The lagged detector warms up on each key's first 161
            // judged readings. Exactly two lagged alarms: the shift's first reading (sensor-1, reading 170,
            // sequence 171) and the ramp's 17th (sensor-0, reading 196: two readings before the online alarm);
            // none on sensor-2, whose spike at 150 falls in both detectors' warm-up. The ramp's onset dated back:
            // the dated score above the undated one on its 16th reading alone (on main its 16th and 17th). Since
            // branch lag14j the readings the dated score flags for their successors only (their own online scores
            // below the threshold: every one before the online alarm at 199) score the threshold itself: the
            // ramp's 16th (dated back), 17th (the lagged alarm) and 18th (flagged by the persistence test).
            List<String> warm = new ArrayList<>();
            for (int k = 0; k < K; k++) {
                for (int n = 162; n <= READINGS - L; n++) {
                    warm.add("sensor-" + k + "@" + n);
                }
            }
            assertEquals(warm.stream().sorted().toList(),
                    where(out, o -> !o.getWarmingUp()).stream().sorted().toList(), "the warmed-up lagged outputs");
            assertTrue(online.get("sensor-2").get(150).warmingUp(), "the spike falls in the online warm-up");
            assertEquals(List.of("sensor-0@199", "sensor-1@171"), onlineAlarms.stream().sorted().toList(),
                    "the online alarms");
            assertEquals(List.of("sensor-1@171", "sensor-0@197"), where(out, LaggedOutput::getAnomaly),
                    "the lagged alarms");
            assertEquals(List.of("sensor-0@196"), where(out, o -> o.getDated() > o.getScore()),
                    "the readings whose onset was dated above their undated score");
            double threshold = settings.anomaly().threshold();
            assertEquals(List.of("sensor-0@196", "sensor-0@197", "sensor-0@198"),
                    where(out, o -> o.getDated() == threshold),
                    "the readings flagged for their successors only: the threshold itself");
            KeyValueStore<String, ModelState> models = f.driver.getKeyValueStore(ForecastTopology.SMOOTHER_MODEL_STORE);
            ModelState model = models.get(scope.storeKey("sensor-0"));
            assertTrue(model.getUpdates() > 0, "the smoother trained and its model is stored");
            assertTrue(model.getConfigFingerprint().contains(";architecture=smoother(L=" + L + ")"));
            KeyState state = f.driver.<String, KeyState>getKeyValueStore(ForecastTopology.KEY_STATE_STORE)
                    .get("sensor-0");
            assertNotNull(StateCodec.smoother(state));
            assertTrue(StateCodec.hasSequence(state), "the forecaster's state is kept beside it");
        }
    }

    /**
     * The new smoother models start from the snapshot the topology was built with ({@link InitialModels}, made once),
     * not from a seeded initialisation of their own: with another seed's snapshot the lagged outputs are those of the
     * engine's smoothers built from that snapshot, to the bit, and not what the settings' seed gives.
     */
    @ParameterizedTest
    @EnumSource(ModelScope.class)
    void newSmootherModelsStartFromTheSnapshotTheTopologyWasBuiltWith(ModelScope scope) {
        StreamSettings settings = settings(scope);
        SmootherConfig config = settings.smootherConfig();
        SmootherConfig otherSeed = new SmootherConfig(config.learner().toBuilder().network(config.network().toBuilder()
                .seed(config.network().seed() + 100).build()).build(), L);
        ModelSnapshot snapshot = new SmootherModel(otherSeed).exportState();
        Map<String, List<double[][]>> expected = withLaggedScores(inProcess(settings, snapshot),
                onlineScores(scope, "online"));
        Map<String, List<double[][]>> seeded = inProcess(settings);
        assertFalse(java.util.Arrays.equals(expected.get("sensor-0").get(0)[0], seeded.get("sensor-0").get(0)[0]),
                "the other seed smoothed the same: the test could not tell the snapshots apart");
        InitialModels initial = new InitialModels(InitialModels.of(settings).learner(), snapshot);
        try (TopologyFixture f = new TopologyFixture(settings, stateDir, initial)) {
            TestOutputTopic<String, byte[]> lagged = lagged(f);
            feed(f, 0, READINGS);
            assertLagged(lagged.readRecordsToList(), expected, 0, READINGS);
        }
    }

    /** A fresh instance on the stored state (key states and both model stores carried over) continues bit for bit. */
    @ParameterizedTest
    @EnumSource(ModelScope.class)
    void aStoredAndRestoredStateContinuesBitForBit(ModelScope scope) {
        StreamSettings settings = settings(scope);
        Map<String, List<double[][]>> expected = withLaggedScores(inProcess(settings), onlineScores(scope, "online"));
        Map<String, KeyState> keyStates = new HashMap<>();
        Map<String, ModelState> models = new HashMap<>();
        Map<String, ModelState> smootherModels = new HashMap<>();
        try (TopologyFixture f = new TopologyFixture(settings, stateDir.resolve("first"))) {
            feed(f, 0, READINGS / 2);
            f.driver.<String, KeyState>getKeyValueStore(ForecastTopology.KEY_STATE_STORE).all()
                    .forEachRemaining(kv -> keyStates.put(kv.key, kv.value));
            f.driver.<String, ModelState>getKeyValueStore(ForecastTopology.MODEL_STORE).all()
                    .forEachRemaining(kv -> models.put(kv.key, kv.value));
            f.driver.<String, ModelState>getKeyValueStore(ForecastTopology.SMOOTHER_MODEL_STORE).all()
                    .forEachRemaining(kv -> smootherModels.put(kv.key, kv.value));
        }
        assertEquals(scope == ModelScope.KEY ? K : 1, smootherModels.size());
        try (TopologyFixture f = new TopologyFixture(settings, stateDir.resolve("second"))) {
            TestOutputTopic<String, byte[]> lagged = lagged(f);
            KeyValueStore<String, KeyState> keys = f.driver.getKeyValueStore(ForecastTopology.KEY_STATE_STORE);
            keyStates.forEach((key, state) -> keys.put(key, StateCodec.keyStateCodec().decode(
                    StateCodec.keyStateCodec().encode(state))));
            KeyValueStore<String, ModelState> m = f.driver.getKeyValueStore(ForecastTopology.MODEL_STORE);
            models.forEach(m::put);
            KeyValueStore<String, ModelState> sm = f.driver.getKeyValueStore(ForecastTopology.SMOOTHER_MODEL_STORE);
            smootherModels.forEach(sm::put);
            feed(f, READINGS / 2, READINGS);
            // readings READINGS/2 - L .. READINGS - L - 1 are judged by the second instance
            Map<String, List<double[][]>> tail = new HashMap<>();
            expected.forEach((key, list) -> tail.put(key, list.subList(READINGS / 2 - L, list.size())));
            List<TestRecord<String, byte[]>> out = lagged.readRecordsToList();
            assertEquals(K * (READINGS / 2), out.size());
            Map<String, Integer> next = new HashMap<>();
            for (TestRecord<String, byte[]> r : out) {
                LaggedOutput o = LAGGED.decode(r.value());
                int i = next.merge(r.key(), 1, Integer::sum) - 1;
                double[][] e = tail.get(r.key()).get(i);
                assertEquals(READINGS / 2 - L + i + 1, o.getSequence());
                assertArrayEquals(e[0], values(o.getSmoothed()), 0.0);
                assertArrayEquals(e[1], values(o.getResidual()), 0.0);
                assertEquals(e[2][0], o.getLaggedScore(), 0.0);
                assertEquals(e[3][0], o.getScore(), 0.0, "the lagged score continues across the restart");
                assertEquals(e[3][1], o.getDated(), 0.0, "the dated score continues across the restart");
                assertEquals(e[3][2] == 1, o.getAnomaly(), "the lagged alarm continues across the restart");
            }
        }
    }

    /**
     * A gap restarts the key's smoother: the L readings before it that were not yet judged never are, the readings
     * after it are judged as a new key's (once L later ones arrived); the weights are kept.
     */
    @Test
    void aGapDropsThePendingReadingsAndRestartsTheSmoother() {
        StreamSettings settings = settings(ModelScope.KEY);
        try (TopologyFixture f = new TopologyFixture(settings, stateDir)) {
            TestOutputTopic<String, byte[]> lagged = lagged(f);
            long shift = 3 * 3_600_000L;
            for (int t = 0; t < 60; t++) {
                f.send("s", time(t) + (t >= 40 ? shift : 0), reading(0, t));
            }
            List<Long> sequences = lagged.readRecordsToList().stream()
                    .map(r -> LAGGED.decode(r.value()).getSequence()).toList();
            List<Long> expected = new ArrayList<>();
            for (long n = 1; n <= 40 - L; n++) {
                expected.add(n); // judged before the gap
            }
            for (long n = 41; n <= 60 - L; n++) {
                expected.add(n); // after it: readings 41.. (1-based) once L later ones arrived
            }
            assertEquals(expected, sequences);
        }
    }

    /** The key's removal (idle retention) deletes its smoother model with its state; its pending readings are never judged. */
    @Test
    void theKeysRemovalDeletesItsSmootherModel() {
        try (TopologyFixture f = new TopologyFixture(settings(ModelScope.KEY), stateDir)) {
            for (int t = 0; t < 20; t++) {
                f.send("idle", time(t), reading(0, t));
            }
            KeyValueStore<String, ModelState> models = f.driver.getKeyValueStore(ForecastTopology.SMOOTHER_MODEL_STORE);
            assertNotNull(models.get("idle"));
            f.driver.advanceWallClockTime(java.time.Duration.ofDays(2));
            f.driver.advanceWallClockTime(java.time.Duration.ofHours(2));
            assertNull(models.get("idle"));
            assertNull(f.driver.<String, KeyState>getKeyValueStore(ForecastTopology.KEY_STATE_STORE).get("idle"));
        }
    }
}
