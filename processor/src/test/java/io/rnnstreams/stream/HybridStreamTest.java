package io.rnnstreams.stream;

import static io.rnnstreams.stream.TopologyFixture.reading;
import static io.rnnstreams.stream.TopologyFixture.time;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.accuracy.HybridMethod;
import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.config.LearnerChoice;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.HybridForecaster;
import io.rnnstreams.learner.ModelScope;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code rnn.learner=hybrid}: the topology runs {@link HybridForecaster} through its stored key state, and
 * forecasts exactly what the accuracy command's in-process learner ({@link HybridMethod}, state and models in
 * memory) forecasts for the same readings in the same order, in both scopes.
 */
class HybridStreamTest {
    static final int K = 3;
    static final int N = 150;
    static final int PERIOD = 12;

    @TempDir
    Path stateDir;

    static StreamSettings settings(ModelScope scope) {
        return TopologyFixture.settings(scope).withLearnerChoice(new LearnerChoice(LearnerChoice.Kind.HYBRID,
                PERIOD, 4));
    }

    @ParameterizedTest
    @EnumSource(ModelScope.class)
    void theStreamForecastsWhatTheInProcessLearnerDoesToTheBit(ModelScope scope) {
        StreamSettings settings = settings(scope);
        HybridMethod inProcess = new HybridMethod("learner", scope, settings.modelConfig(), PERIOD, 4, true, 100);
        HybridMethod ablation = new HybridMethod("ablation", scope, settings.modelConfig(), PERIOD, 4, false, 100);
        double[][] expected = new double[K * N][];
        double[][] control = new double[K * N][];
        try (TopologyFixture f = new TopologyFixture(settings, stateDir)) {
            int i = 0;
            for (int t = 0; t < N; t++) {
                for (int k = 0; k < K; k++) {
                    f.send("sensor-" + k, time(t), reading(k, t));
                    expected[i] = inProcess.observe("sensor-" + k, reading(k, t));
                    control[i] = ablation.observe("sensor-" + k, reading(k, t));
                    i++;
                }
            }
            List<TestRecord<String, byte[]>> out = f.predictions.readRecordsToList();
            assertEquals(K * N, out.size());
            boolean differs = false;
            for (int j = 0; j < out.size(); j++) {
                assertEquals("sensor-" + (j % K), out.get(j).key());
                Prediction p = TopologyFixture.decode(out.get(j).value());
                double[] emitted = TopologyFixture.forecast(p);
                assertArrayEquals(expected[j], emitted, 0.0, "prediction " + j);
                differs |= !Arrays.equals(control[j], emitted);
                if (j < K) {
                    assertNull(p.getPreviousError(), "a key's first reading has no previous forecast");
                } else {
                    double[] previous = TopologyFixture.forecast(TopologyFixture.decode(out.get(j - K).value()));
                    double[] x = reading(j % K, j / K);
                    for (int c = 0; c < x.length; c++) {
                        assertEquals(x[c] - previous[c], p.getPreviousError().get(c), 0.0, "error " + j);
                    }
                }
            }
            // negative control: the recurrent part changes the forecasts, so the comparison above can fail
            assertTrue(differs, "the ablation forecast the same: the test could not tell the learners apart");
            Prediction last = TopologyFixture.decode(out.get(out.size() - 1).value());
            assertEquals(N, last.getReadingsLearned());
            assertEquals(settings.modelConfig().fingerprint(), last.getModelFingerprint());

            KeyState state = f.driver.<String, KeyState>getKeyValueStore(ForecastTopology.KEY_STATE_STORE)
                    .get("sensor-0");
            assertNotNull(StateCodec.hybrid(state));
            assertFalse(StateCodec.hasSequence(state), "the plain RNN's fields are empty");
            String modelKey = SensorViews.modelKey("sensor-0", scope);
            ModelState model = f.driver.<String, ModelState>getKeyValueStore(ForecastTopology.MODEL_STORE)
                    .get(modelKey);
            assertNotNull(model, "the recurrent core is in the model store under " + modelKey);
            assertTrue(model.getUpdates() > 0);
        }
    }

    /**
     * What the HTTP API answers for a hybrid key (the views {@link StreamsSensorQueries} serves) against what the
     * topology emitted; and the training counters against the model store.
     */
    @ParameterizedTest
    @EnumSource(ModelScope.class)
    void theViewsAndMetricsOfAHybridKeyMatchWhatTheStreamDid(ModelScope scope) {
        StreamSettings settings = settings(scope);
        try (TopologyFixture f = new TopologyFixture(settings, stateDir)) {
            for (int t = 0; t < N; t++) {
                for (int k = 0; k < K; k++) {
                    f.send("sensor-" + k, time(t), reading(k, t));
                }
            }
            List<TestRecord<String, byte[]>> out = f.predictions.readRecordsToList();
            Prediction last = TopologyFixture.decode(out.get(out.size() - 1).value());
            assertEquals("sensor-" + (K - 1), out.get(out.size() - 1).key());
            String key = "sensor-" + (K - 1);
            KeyValueStore<String, KeyState> keys = f.driver.getKeyValueStore(ForecastTopology.KEY_STATE_STORE);
            KeyValueStore<String, ModelState> models = f.driver.getKeyValueStore(ForecastTopology.MODEL_STORE);
            KeyState state = keys.get(key);
            ModelState model = models.get(SensorViews.modelKey(key, scope));

            HybridForecaster.KeyState hybrid = SensorViews.hybridState(HybridLearners.reader(settings), state);
            assertNotNull(hybrid, "the reader of the settings reads the stored hybrid state");
            assertNull(SensorViews.hybridState(null, state), "the plain RNN's queries do not read it");

            double[][] forecast = SensorViews.forecast(hybrid, 1);
            assertEquals(1, forecast.length);
            assertArrayEquals(TopologyFixture.forecast(last), forecast[0], 0.0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SensorViews.forecast(hybrid, 2));
            assertTrue(e.getMessage().contains("steps must be 1, got 2"), e.getMessage());

            SensorSummary summary = SensorViews.summary(key, state, model, scope, hybrid);
            assertEquals(N, summary.readings());
            assertEquals(last.getReadingsLearned(), summary.readings());
            assertEquals(last.getEventTime(), summary.lastEventTime());
            assertEquals(N - 1, summary.scoredReadings());
            assertArrayEquals(TopologyFixture.forecast(last), summary.lastForecast(), 0.0);
            double[] reading = reading(K - 1, N - 1);
            assertEquals(reading.length, summary.lastReading().length);
            for (int c = 0; c < reading.length; c++) {
                // the linear path's persistence forecast, stored in float
                assertEquals(reading[c], summary.lastReading()[c], 1e-5 * Math.max(1, Math.abs(reading[c])));
            }
            assertTrue(summary.hiddenStateNorm() > 0, "the recurrent state is read");
            assertTrue(summary.modelStored());
            assertEquals(model.getUpdates(), summary.modelUpdates());

            long updates = 0;
            long restores = 0;
            for (int k = 0; k < (scope == ModelScope.KEY ? K : 1); k++) {
                ModelState m = models.get(SensorViews.modelKey("sensor-" + k, scope));
                updates += m.getUpdates();
                restores += m.getRestores();
            }
            assertTrue(updates > 0);
            assertEquals(updates, ForecastTopologyTest.metric(f, "updates-total"), 0.0);
            assertEquals(restores, ForecastTopologyTest.metric(f, "restores-total"), 0.0);
        }
    }
}
