package io.rnnstreams.stream;

import static io.rnnstreams.stream.TopologyFixture.reading;
import static io.rnnstreams.stream.TopologyFixture.time;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.config.ForecastMode;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.EncoderDecoderModel;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.model.Observation;
import io.rnnstreams.model.Seq2SeqConfig;
import io.rnnstreams.model.Seq2SeqForecaster;
import io.rnnstreams.model.Seq2SeqLearner;
import io.rnnstreams.model.Seq2SeqState;
import io.rnnstreams.model.SequenceSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code rnn.forecast.mode=seq2seq}: the topology runs the encoder-decoder through its stored key state (the
 * {@code seq2seq} field) and model store, and emits exactly what the engine's in-process learner forecasts for the
 * same readings in the same order: {@link Seq2SeqLearner} per key in key scope; one {@link EncoderDecoderModel}
 * and a {@link Seq2SeqState} per key in shared scope. The one-step forecast is the prediction's {@code forecast},
 * the decoder's {@code N} forecasts its {@code horizon}.
 */
class Seq2SeqStreamTest {
    static final int K = 3;
    static final int READINGS = 120;
    static final int N = 4;

    @TempDir
    Path stateDir;

    static StreamSettings settings(ModelScope scope) {
        return TopologyFixture.settings(scope, N).withForecastMode(ForecastMode.SEQ2SEQ);
    }

    /** The engine's learner of one scope, fed reading by reading; what each reading's prediction must carry. */
    private static final class InProcess {
        private final Seq2SeqConfig config;
        private final ModelScope scope;
        private final Map<String, Seq2SeqLearner> perKey = new HashMap<>();
        /** Where every model starts, or null for the seeded initialisation. */
        private final ModelSnapshot initial;
        private final Map<String, EncoderDecoderModel> models = new HashMap<>();
        private final Map<String, Seq2SeqState> sequences = new HashMap<>();
        private final Seq2SeqForecaster forecaster;

        InProcess(StreamSettings settings) {
            this(settings, null);
        }

        InProcess(StreamSettings settings, ModelSnapshot initial) {
            this.config = settings.seq2seqConfig();
            this.scope = settings.scope();
            this.initial = initial;
            this.forecaster = new Seq2SeqForecaster(config);
        }

        /** Observes one reading; returns the one-step forecast, then the N forecasts. */
        double[][] observe(String key, double[] reading) {
            double[][] out = new double[N + 1][];
            if (scope == ModelScope.KEY && initial == null) {
                Seq2SeqLearner learner = perKey.computeIfAbsent(key, k -> new Seq2SeqLearner(config));
                out[0] = learner.observe(reading).forecast();
                System.arraycopy(learner.forecast(N), 0, out, 1, N);
            } else {
                EncoderDecoderModel model = models.computeIfAbsent(scope.storeKey(key),
                        k -> new EncoderDecoderModel(config, initial));
                Seq2SeqState sequence = sequences.computeIfAbsent(key, k -> new Seq2SeqState(config));
                Observation o = forecaster.observe(model, sequence, reading);
                out[0] = o.forecast();
                System.arraycopy(forecaster.forecast(sequence, N), 0, out, 1, N);
            }
            return out;
        }

        ModelSnapshot model(String key) {
            return perKey.containsKey(key) ? perKey.get(key).model().exportState()
                    : models.get(scope.storeKey(key)).exportState();
        }
    }

    private static void feed(TopologyFixture f, int from, int to) {
        for (int t = from; t < to; t++) {
            for (int k = 0; k < K; k++) {
                f.send("sensor-" + k, time(t), reading(k, t));
            }
        }
    }

    private static double[] values(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Asserts that {@code out} (readings {@code from..} of every key in order) carries {@code expected}'s forecasts. */
    private static void assertForecasts(List<TestRecord<String, byte[]>> out, List<double[][]> expected) {
        assertEquals(expected.size(), out.size());
        for (int j = 0; j < out.size(); j++) {
            assertEquals("sensor-" + (j % K), out.get(j).key());
            Prediction p = TopologyFixture.decode(out.get(j).value());
            double[][] e = expected.get(j);
            assertArrayEquals(e[0], TopologyFixture.forecast(p), 0.0, "forecast of prediction " + j);
            assertEquals(N, p.getHorizon().size(), "prediction " + j + " carries the decoder's N forecasts");
            for (int h = 0; h < N; h++) {
                assertArrayEquals(e[h + 1], values(p.getHorizon().get(h)), 0.0, "prediction " + j + " step " + (h + 1));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ModelScope.class)
    void theStreamForecastsWhatTheInProcessLearnerDoesToTheBit(ModelScope scope) {
        StreamSettings settings = settings(scope);
        InProcess inProcess = new InProcess(settings);
        List<double[][]> expected = new ArrayList<>();
        for (int t = 0; t < READINGS; t++) {
            for (int k = 0; k < K; k++) {
                expected.add(inProcess.observe("sensor-" + k, reading(k, t)));
            }
        }
        List<double[]> recursive = new ArrayList<>();
        try (TopologyFixture f = new TopologyFixture(TopologyFixture.settings(scope, N), stateDir.resolve("rnn"))) {
            feed(f, 0, READINGS);
            f.predictions.readRecordsToList().forEach(r -> recursive.add(TopologyFixture.forecast(
                    TopologyFixture.decode(r.value()))));
        }
        try (TopologyFixture f = new TopologyFixture(settings, stateDir.resolve("seq2seq"))) {
            feed(f, 0, READINGS);
            List<TestRecord<String, byte[]>> out = f.predictions.readRecordsToList();
            assertForecasts(out, expected);
            boolean differs = false;
            for (int j = 0; j < out.size(); j++) {
                Prediction p = TopologyFixture.decode(out.get(j).value());
                differs |= !java.util.Arrays.equals(recursive.get(j), TopologyFixture.forecast(p));
                if (j < K) {
                    assertNull(p.getPreviousError(), "a key's first reading has no previous forecast");
                } else {
                    double[] previous = expected.get(j - K)[0];
                    double[] x = reading(j % K, j / K);
                    for (int c = 0; c < x.length; c++) {
                        assertEquals(x[c] - previous[c], p.getPreviousError().get(c), 0.0, "error " + j);
                    }
                }
                assertEquals(j / K + 1, p.getReadingsLearned());
            }
            // negative control: the recursive model forecasts otherwise, so the comparison above can fail
            assertTrue(differs, "the recursive mode forecast the same: the test could not tell the modes apart");
            Prediction last = TopologyFixture.decode(out.get(out.size() - 1).value());
            assertEquals(settings.seq2seqConfig().fingerprint(), last.getModelFingerprint());
            assertNotEquals(settings.learner().fingerprint(), last.getModelFingerprint());
            assertEquals(N, last.getForecastTimes().size(), "one event time per step");

            KeyValueStore<String, KeyState> keys = f.driver.getKeyValueStore(ForecastTopology.KEY_STATE_STORE);
            KeyValueStore<String, ModelState> models = f.driver.getKeyValueStore(ForecastTopology.MODEL_STORE);
            for (int k = 0; k < K; k++) {
                KeyState state = keys.get("sensor-" + k);
                assertNotNull(StateCodec.seq2seq(state), "the encoder-decoder's state is in the seq2seq field");
                assertFalse(StateCodec.hasSequence(state), "the plain RNN's fields are empty");
                assertNull(StateCodec.hybrid(state));
                ModelState model = models.get(SensorViews.modelKey("sensor-" + k, scope));
                assertTrue(model.getUpdates() > 0);
                assertTrue(model.getConfigFingerprint().contains(";architecture=seq2seq(N=" + N
                                + ",corrects=persistence+level,combine=min-variance,gain=chosen)"),
                        model.getConfigFingerprint());
                ModelSnapshot stored = StateCodec.model(model, settings.modelIdentity(), true);
                assertArrayEquals(inProcess.model("sensor-" + k).parameters(), stored.parameters(), 0.0,
                        "the stored weights are the in-process model's");
                assertArrayEquals(inProcess.model("sensor-" + k).optimizerState(), stored.optimizerState(), 0.0);
            }
            long updates = 0;
            for (int k = 0; k < (scope == ModelScope.KEY ? K : 1); k++) {
                updates += models.get(SensorViews.modelKey("sensor-" + k, scope)).getUpdates();
            }
            assertEquals(updates, ForecastTopologyTest.metric(f, "updates-total"), 0.0);
        }
    }

    /**
     * A fresh instance on the stored state (key states and models carried over; its model cache cold) continues
     * bit for bit: the second half of its predictions equals the in-process learner's.
     */
    @ParameterizedTest
    @EnumSource(ModelScope.class)
    void aStoredAndRestoredStateContinuesBitForBit(ModelScope scope) {
        StreamSettings settings = settings(scope);
        InProcess inProcess = new InProcess(settings);
        List<double[][]> expected = new ArrayList<>();
        for (int t = 0; t < READINGS; t++) {
            for (int k = 0; k < K; k++) {
                double[][] e = inProcess.observe("sensor-" + k, reading(k, t));
                if (t >= READINGS / 2) {
                    expected.add(e);
                }
            }
        }
        Map<String, KeyState> keyStates = new HashMap<>();
        Map<String, ModelState> modelStates = new HashMap<>();
        try (TopologyFixture f = new TopologyFixture(settings, stateDir.resolve("first"))) {
            feed(f, 0, READINGS / 2);
            assertEquals(K * READINGS / 2, f.predictions.readRecordsToList().size());
            f.driver.<String, KeyState>getKeyValueStore(ForecastTopology.KEY_STATE_STORE).all()
                    .forEachRemaining(kv -> keyStates.put(kv.key, kv.value));
            f.driver.<String, ModelState>getKeyValueStore(ForecastTopology.MODEL_STORE).all()
                    .forEachRemaining(kv -> modelStates.put(kv.key, kv.value));
        }
        assertEquals(K, keyStates.size());
        assertEquals(scope == ModelScope.KEY ? K : 1, modelStates.size());
        try (TopologyFixture f = new TopologyFixture(settings, stateDir.resolve("second"))) {
            KeyValueStore<String, KeyState> keys = f.driver.getKeyValueStore(ForecastTopology.KEY_STATE_STORE);
            // through the store's codec, as a restore from the changelog reads them
            keyStates.forEach((key, state) -> keys.put(key, StateCodec.keyStateCodec().decode(
                    StateCodec.keyStateCodec().encode(state))));
            KeyValueStore<String, ModelState> models = f.driver.getKeyValueStore(ForecastTopology.MODEL_STORE);
            modelStates.forEach(models::put);
            feed(f, READINGS / 2, READINGS);
            assertForecasts(f.predictions.readRecordsToList(), expected);
        }
    }

    /**
     * The new models start from the snapshot the topology was built with ({@link InitialModels}, made once), not
     * from a seeded initialisation of their own: with another seed's snapshot the stream forecasts what the engine's
     * models built from that snapshot do, to the bit, and not what the settings' seed gives.
     */
    @ParameterizedTest
    @EnumSource(ModelScope.class)
    void newModelsStartFromTheSnapshotTheTopologyWasBuiltWith(ModelScope scope) {
        StreamSettings settings = settings(scope);
        Seq2SeqConfig config = settings.seq2seqConfig();
        Seq2SeqConfig otherSeed = new Seq2SeqConfig(config.learner().toBuilder().network(config.network().toBuilder()
                .seed(config.network().seed() + 100).build()).build(), N);
        ModelSnapshot snapshot = new EncoderDecoderModel(otherSeed).exportState();
        InProcess fromSnapshot = new InProcess(settings, snapshot);
        InProcess seeded = new InProcess(settings);
        List<double[][]> expected = new ArrayList<>();
        boolean differs = false;
        for (int t = 0; t < READINGS; t++) {
            for (int k = 0; k < K; k++) {
                double[][] e = fromSnapshot.observe("sensor-" + k, reading(k, t));
                expected.add(e);
                differs |= !java.util.Arrays.equals(e[1], seeded.observe("sensor-" + k, reading(k, t))[1]);
            }
        }
        assertTrue(differs, "the other seed forecast the same: the test could not tell the snapshots apart");
        try (TopologyFixture f = new TopologyFixture(settings, stateDir, new InitialModels(snapshot, null))) {
            feed(f, 0, READINGS);
            assertForecasts(f.predictions.readRecordsToList(), expected);
        }
    }

    /** What the HTTP API answers for a seq2seq key ({@link StreamsSensorQueries}' views) against what was emitted. */
    @Test
    void theViewsOfASeq2SeqKeyServeTheDecodersForecasts() {
        StreamSettings settings = settings(ModelScope.KEY);
        try (TopologyFixture f = new TopologyFixture(settings, stateDir)) {
            feed(f, 0, 40);
            List<TestRecord<String, byte[]>> out = f.predictions.readRecordsToList();
            Prediction last = TopologyFixture.decode(out.get(out.size() - 1).value());
            String key = "sensor-" + (K - 1);
            KeyState state = f.driver.<String, KeyState>getKeyValueStore(ForecastTopology.KEY_STATE_STORE).get(key);
            ModelState model = f.driver.<String, ModelState>getKeyValueStore(ForecastTopology.MODEL_STORE).get(key);
            SequenceSnapshot seq2seq = StateCodec.seq2seq(state);

            double[][] forecast = SensorViews.forecast(seq2seq, N);
            assertEquals(N, forecast.length);
            for (int h = 0; h < N; h++) {
                assertArrayEquals(values(last.getHorizon().get(h)), forecast[h], 0.0, "step " + (h + 1));
            }
            assertEquals(2, SensorViews.forecast(seq2seq, 2).length);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SensorViews.forecast(seq2seq, N + 1));
            assertTrue(e.getMessage().contains("steps must be in [1, " + N + "], got " + (N + 1)), e.getMessage());

            SensorSummary summary = SensorViews.summary(key, state, model, ModelScope.KEY, seq2seq);
            assertEquals(40, summary.readings());
            assertEquals(39, summary.scoredReadings());
            assertArrayEquals(TopologyFixture.forecast(last), summary.lastForecast(), 0.0);
            double[] reading = reading(K - 1, 39);
            for (int c = 0; c < reading.length; c++) {
                assertEquals(reading[c], summary.lastReading()[c], 1e-12 * Math.max(1, Math.abs(reading[c])));
            }
            assertTrue(summary.hiddenStateNorm() > 0, "the encoder state is read");
            assertEquals(model.getUpdates(), summary.modelUpdates());
        }
    }

    /**
     * A plain RNN's stored model is refused under seq2seq (and back), naming the change: what a start-up
     * ({@link StoredModelCheck}) and every read of the model store ({@link StoreModelRepository}) say.
     */
    @Test
    void aStoredModelOfTheOtherArchitectureIsRefusedNamingTheChange() {
        ModelState plain;
        try (TopologyFixture f = new TopologyFixture(TopologyFixture.settings(ModelScope.KEY, N), stateDir)) {
            for (int t = 0; t < 10; t++) {
                f.send("s", time(t), reading(0, t));
            }
            plain = f.driver.<String, ModelState>getKeyValueStore(ForecastTopology.MODEL_STORE).get("s");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StateCodec.model(plain, settings(ModelScope.KEY).modelIdentity(), true));
        assertTrue(e.getMessage().contains("cannot continue under: the architecture (rnn.forecast.mode, "
                + "rnn.forecast.horizon, rnn.forecast.period, rnn.smoothing.lag) rnn -> seq2seq(N=" + N
                + ",corrects=persistence+level,combine=min-variance,gain=chosen)"), e.getMessage());
        ModelSnapshot back = StateCodec.model(plain, TopologyFixture.settings(ModelScope.KEY, N).modelIdentity(), true);
        assertTrue(back.parameters().length > 0, "the plain RNN reads its own");
    }

    /** A gap resets the encoder state and the window (the weights are kept), as in the recursive mode. */
    @Test
    void aGapResetsTheEncoderStateButKeepsTheWeights() {
        StreamSettings settings = settings(ModelScope.KEY);
        try (TopologyFixture f = new TopologyFixture(settings, stateDir)) {
            for (int t = 0; t < 30; t++) {
                f.send("s", time(t), reading(0, t));
            }
            KeyValueStore<String, ModelState> models = f.driver.getKeyValueStore(ForecastTopology.MODEL_STORE);
            long updates = models.get("s").getUpdates();
            f.send("s", time(29) + 3 * 3_600_000L, reading(0, 30));
            List<TestRecord<String, byte[]>> out = f.predictions.readRecordsToList();
            Prediction after = TopologyFixture.decode(out.get(out.size() - 1).value());
            assertTrue(after.getStateReset());
            assertEquals(31, after.getReadingsLearned());
            SequenceSnapshot s = StateCodec.seq2seq(f.driver.<String, KeyState>getKeyValueStore(
                    ForecastTopology.KEY_STATE_STORE).get("s"));
            assertEquals(1, s.windowCount(), "the window restarted with the reading after the gap");
            assertEquals(updates, models.get("s").getUpdates(), "the weights are kept");
            assertEquals(1.0, ForecastTopologyTest.metric(f, "gap-resets-total"), 0.0);
        }
    }
}
