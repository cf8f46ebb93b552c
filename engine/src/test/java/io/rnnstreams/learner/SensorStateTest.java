package io.rnnstreams.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rnnstreams.eval.AnomalyScore;
import org.junit.jupiter.api.Test;

class SensorStateTest {
    private static final double[] UNIT = {1.0, 1.0};

    @Test
    void oldLayoutsDecodeToTheirDefaultsOnce() {
        // before the anomaly score: no statistics; before the error sums: none, whatever the stored count
        SensorState s = SensorState.restore(2, 1_000L, 7L, 0.25, new double[0], 5, new double[0], new double[0]);
        assertArrayEquals(new double[AnomalyScore.STATE_SIZE], s.anomalyStatistics(), 0.0);
        assertEquals(0, s.scoredReadings());
        assertArrayEquals(new double[2], s.errorAbsSum(), 0.0);
        assertArrayEquals(new double[] {Double.NaN, Double.NaN}, s.meanAbsoluteErrors(), 0.0);
        assertEquals(1_000L, s.lastEventTime());
        assertEquals(7L, s.modelVersion());
        assertEquals(0.25, s.anomalyScore(), 0.0);
        // sums of another channel count start empty too
        assertEquals(0, SensorState.restore(2, 0, 0, 0, new double[0], 5, new double[3], new double[3])
                .scoredReadings());
        assertThrows(IllegalArgumentException.class,
                () -> SensorState.restore(2, 0, 0, 0, new double[3], 0, new double[2], new double[2]));
    }

    @Test
    void scoringAddsToTheStoredSumsAndKeepsTheScore() {
        double[] stats = {0.5, 0.25, 0.125, 3.0};
        SensorState s = SensorState.restore(2, 1_000L, 3L, 0.9, stats, 2, new double[] {1.0, 2.0},
                new double[] {0.5, 4.0});
        double expected = new AnomalyScore(4, 16).update(stats.clone(), new double[] {-1.5, 0.5}, UNIT);

        double score = s.score(new double[] {-1.5, 0.5}, UNIT, new AnomalyScore(4, 16));

        assertEquals(expected, score, 0.0);
        assertEquals(score, s.anomalyScore(), 0.0);
        assertEquals(3, s.scoredReadings());
        assertArrayEquals(new double[] {2.5, 2.5}, s.errorAbsSum(), 0.0);
        assertArrayEquals(new double[] {2.75, 4.25}, s.errorSquaredSum(), 0.0);
        assertArrayEquals(new double[] {2.5 / 3, 2.5 / 3}, s.meanAbsoluteErrors(), 0.0);
        assertArrayEquals(new double[] {Math.sqrt(2.75 / 3), Math.sqrt(4.25 / 3)}, s.rootMeanSquaredErrors(), 0.0);

        s.advance(2_000L, 4L);
        assertEquals(2_000L, s.lastEventTime());
        assertEquals(4L, s.modelVersion());
    }

    @Test
    void aReadingWithoutAPreviousForecastScoresNothingAndScoresZero() {
        SensorState s = SensorState.restore(2, 1_000L, 3L, 0.9, new double[AnomalyScore.STATE_SIZE], 2,
                new double[] {1.0, 2.0}, new double[] {0.5, 4.0});
        assertEquals(0.0, s.score(null, UNIT, new AnomalyScore(4, 16)), 0.0);
        assertEquals(0.0, s.anomalyScore(), 0.0);
        assertEquals(2, s.scoredReadings());
        assertArrayEquals(new double[] {1.0, 2.0}, s.errorAbsSum(), 0.0);
    }

    @Test
    void aNewKeyStartsEmpty() {
        SensorState s = SensorState.first(3);
        assertEquals(0, s.scoredReadings());
        assertEquals(0L, s.modelVersion());
        assertArrayEquals(new double[3], s.errorSquaredSum(), 0.0);
        assertArrayEquals(new double[AnomalyScore.STATE_SIZE], s.anomalyStatistics(), 0.0);
    }
}
