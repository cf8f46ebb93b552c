package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.Prediction;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.ConfigException;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.ModelScope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnn.input.max-abs-value} (issue 12 item 12): a bound at which a reading, its square summed over a
 * key's life (normaliser, error statistics) or a forecast error could overflow is refused, and readings at
 * the largest accepted bound give finite predictions that learn (not persistence for good).
 */
class InputBoundTest {
    @TempDir
    Path tmp;

    @Test
    void aBoundWhoseSquaresOverflowIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AppConfig.of(Map.of("rnn.input.max-abs-value", "1e308")).streamSettings());
        assertTrue(e.getMessage().contains("rnn.input.max-abs-value"), e.getMessage());
        assertTrue(e.getMessage().contains("1e100"), e.getMessage());
        assertThrows(ConfigException.class, () -> AppConfig.of(Map.of("rnn.input.max-abs-value", "1e200")));
        assertEquals(1e100, AppConfig.of(Map.of("rnn.input.max-abs-value", "1e100")).streamSettings().maxAbsValue());
    }

    @Test
    void readingsAtTheLargestBoundGiveFinitePredictionsThatLearn() {
        double bound = StreamSettings.MAX_INPUT_BOUND;
        StreamSettings s = TopologyFixture.settings(ModelScope.KEY);
        StreamSettings settings = new StreamSettings(s.inputTopics(), null, s.predictionsTopic(), s.deadLetterTopic(),
                s.scope(), s.learner(), 1, s.gapReset(), s.gapMultiple(), s.idleRetention(), s.idleScanInterval(), bound,
                s.anomaly(), s.modelCacheSize(), null);
        int n = 400;
        try (TopologyFixture f = new TopologyFixture(settings, tmp)) {
            for (int t = 0; t < n; t++) {
                // swings across the whole accepted range: +-bound, and a step from one end to the other
                double a = (t % 2 == 0 ? 1 : -1) * bound;
                double b = Math.sin(t * 0.3) * bound;
                f.send("big", TopologyFixture.time(t), a, b);
            }
            List<Prediction> predictions = f.predictions.readValuesToList().stream().map(TopologyFixture::decode)
                    .toList();
            assertEquals(n, predictions.size());
            assertTrue(f.deadLetters.isEmpty());
            int learned = 0;
            for (int t = 1; t < n; t++) {
                Prediction p = predictions.get(t);
                for (double v : TopologyFixture.forecast(p)) {
                    assertTrue(Double.isFinite(v), "forecast at " + t + ": " + p);
                }
                for (double v : p.getPreviousError()) {
                    assertTrue(Double.isFinite(v), "error at " + t + ": " + p);
                }
                assertTrue(Double.isFinite(p.getAnomalyScore()), "score at " + t);
                double persistence = (t % 2 == 0 ? 1 : -1) * bound;
                if (Math.abs(TopologyFixture.forecast(p)[0] - persistence) > 1e-3 * bound) {
                    learned++;
                }
            }
            assertTrue(learned > n / 2, "forecasts of the alternating channel differ from persistence: " + learned);
        }
    }
}
