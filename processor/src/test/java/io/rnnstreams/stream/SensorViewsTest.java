package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.eval.detection.DetectorConfig;
import io.rnnstreams.learner.ModelScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The query views of the stored state (what the HTTP API answers) against what the topology emitted: the
 * forecast rolled from the stores equals, bit for bit, the n-step horizon of the key's last prediction; the
 * summary's counts, times and prequential errors equal those computed from the predictions themselves.
 */
class SensorViewsTest {
    private static final int HORIZON = 5;
    private static final int READINGS = 61;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ModelScope.class)
    void viewsOfTheStoredStateMatchThePredictions(ModelScope scope) {
        StreamSettings settings = TopologyFixture.settings(scope, HORIZON);
        try (TopologyFixture f = new TopologyFixture(settings, dir.resolve(scope.name()))) {
            for (int t = 0; t < READINGS; t++) {
                for (int k = 0; k < 2; k++) {
                    f.send("s" + k, TopologyFixture.time(t), TopologyFixture.reading(k, t));
                }
            }
            List<Prediction> mine = new ArrayList<>();
            for (TestRecord<String, byte[]> r : f.predictions.readRecordsToList()) {
                if (r.key().equals("s1")) {
                    mine.add(TopologyFixture.decode(r.value()));
                }
            }
            assertEquals(READINGS, mine.size());
            KeyValueStore<String, KeyState> keys = f.driver.getKeyValueStore(ForecastTopology.KEY_STATE_STORE);
            KeyValueStore<String, ModelState> models = f.driver.getKeyValueStore(ForecastTopology.MODEL_STORE);
            KeyState state = keys.get("s1");
            ModelState model = models.get(SensorViews.modelKey("s1", scope));
            byte[] before = AvroSerde.of(KeyState.class).serializer().serialize("t", state);

            Prediction last = mine.get(mine.size() - 1);
            double[][] rollout = SensorViews.forecast(settings.learner(), state, model, null, HORIZON);
            assertEquals(HORIZON, rollout.length);
            for (int s = 0; s < HORIZON; s++) {
                for (int c = 0; c < 2; c++) {
                    assertEquals(Double.doubleToLongBits(last.getHorizon().get(s).get(c)),
                            Double.doubleToLongBits(rollout[s][c]), "step " + s + " channel " + c);
                }
            }
            // one step = the forecast made at the last reading; the stored state is left as it was
            assertEquals(last.getForecast().get(0), SensorViews.forecast(settings.learner(), state, model, null, 1)[0][0]);
            assertEquals(java.nio.ByteBuffer.wrap(before),
                    java.nio.ByteBuffer.wrap(AvroSerde.of(KeyState.class).serializer().serialize("t", keys.get("s1"))));

            SensorSummary summary = SensorViews.summary("s1", state, model, scope);
            assertEquals(READINGS, summary.readings());
            assertEquals(last.getEventTime(), summary.lastEventTime());
            assertEquals(READINGS - 1, summary.scoredReadings());
            assertEquals(last.getAnomalyScore(), summary.anomalyScore());
            assertEquals(last.getForecast().get(1), summary.lastForecast()[1]);
            double[] reading = TopologyFixture.reading(1, READINGS - 1);
            for (int c = 0; c < 2; c++) {
                assertEquals(reading[c], summary.lastReading()[c], 1e-12 * Math.max(1, Math.abs(reading[c])), "channel " + c);
            }
            assertEquals(alarmActive(mine, DetectorConfig.DEFAULTS), summary.alarmActive());
            // the next step's time and interval: the last prediction's first step
            assertEquals(List.of(last.getForecastTimes().get(0).toEpochMilli()), summary.forecastTimes());
            assertEquals(last.getIntervalLevel(), summary.intervalLevel());
            for (int c = 0; c < 2; c++) {
                assertEquals(last.getIntervalLower().get(0).get(c), summary.intervalLower()[0][c]);
                assertEquals(last.getIntervalUpper().get(0).get(c), summary.intervalUpper()[0][c]);
            }
            for (int c = 0; c < 2; c++) {
                double abs = 0;
                double sq = 0;
                for (Prediction p : mine) {
                    if (p.getPreviousError() != null) {
                        double e = p.getPreviousError().get(c);
                        abs += Math.abs(e);
                        sq += e * e;
                    }
                }
                assertEquals(abs / (READINGS - 1), summary.meanAbsoluteError()[c], 1e-12 * abs);
                assertEquals(Math.sqrt(sq / (READINGS - 1)), summary.rootMeanSquaredError()[c], 1e-12 * Math.sqrt(sq));
            }
            assertTrue(summary.hiddenStateNorm() > 0 && Double.isFinite(summary.hiddenStateNorm()));
            assertTrue(summary.modelStored());
            // k1 = 4: a training every 4 pushes; the first reading pushes nothing
            long trainings = (READINGS - 1) / 4 * (scope == ModelScope.SHARED ? 2 : 1);
            assertEquals(trainings, summary.modelUpdates() + summary.restores());
            assertEquals((READINGS - 1) % 4, summary.readingsSinceTraining());
        }
    }

    @Test
    void aKeyWithoutAStoredModelUsesTheInitialOne() {
        StreamSettings settings = TopologyFixture.settings(ModelScope.KEY, 3);
        try (TopologyFixture f = new TopologyFixture(settings, dir.resolve("fresh"))) {
            f.send("s", TopologyFixture.time(0), TopologyFixture.reading(0, 0));
            f.send("s", TopologyFixture.time(1), TopologyFixture.reading(0, 1));
            Prediction last = TopologyFixture.decode(f.predictions.readRecordsToList().get(1).value());
            KeyState state = f.driver.<String, KeyState>getKeyValueStore(ForecastTopology.KEY_STATE_STORE).get("s");
            assertEquals(null, f.driver.<String, ModelState>getKeyValueStore(ForecastTopology.MODEL_STORE).get("s"));
            double[][] rollout = SensorViews.forecast(settings.learner(), state, null, null, 3);
            for (int s = 0; s < 3; s++) {
                assertEquals(last.getHorizon().get(s).get(0), rollout[s][0]);
            }
            SensorSummary summary = SensorViews.summary("s", state, null, ModelScope.KEY);
            assertFalse(summary.modelStored());
            assertEquals(1, summary.scoredReadings());
        }
    }

    /**
     * Whether the last alarm of these predictions is still active: raised, and not followed by
     * {@code quiet} readings in a row below the threshold.
     */
    static boolean alarmActive(List<Prediction> predictions, DetectorConfig config) {
        boolean active = false;
        int below = 0;
        for (Prediction p : predictions) {
            if (p.getAnomaly()) {
                active = true;
                below = 0;
            } else if (active) {
                below = p.getAnomalyScore() < config.threshold() ? below + 1 : 0;
                active = below < config.quiet();
            }
        }
        return active;
    }
}
