package io.rnnstreams.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.eval.detection.AnomalyDetector;
import io.rnnstreams.eval.detection.DetectorConfig;
import org.junit.jupiter.api.Test;

class SensorStateTest {
    private static final AnomalyDetector DETECTOR = new AnomalyDetector(DetectorConfig.DEFAULTS, 2);

    @Test
    void oldLayoutsDecodeToTheirDefaultsOnce() {
        // before the detector: none (it starts afresh); before the intervals: none known; before the error sums:
        // none, whatever the stored count
        SensorState s = SensorState.restore(2, 1_000L, 7L, 0.25, new double[0], new long[0], 5, new double[0],
                new double[0]);
        assertArrayEquals(AnomalyDetector.initialState(2), s.detectorState(), 0.0);
        assertArrayEquals(new long[TypicalInterval.STATE_SIZE], s.intervals());
        assertEquals(0, s.scoredReadings());
        assertArrayEquals(new double[2], s.errorAbsSum(), 0.0);
        assertArrayEquals(new double[] {Double.NaN, Double.NaN}, s.meanAbsoluteErrors(), 0.0);
        assertEquals(1_000L, s.lastEventTime());
        assertEquals(7L, s.modelVersion());
        assertEquals(0.25, s.anomalyScore(), 0.0);
        // sums and a detector state of another channel count start empty too
        SensorState other = SensorState.restore(2, 0, 0, 0, new double[AnomalyDetector.stateSize(3)], new long[0],
                5, new double[3], new double[3]);
        assertEquals(0, other.scoredReadings());
        assertArrayEquals(AnomalyDetector.initialState(2), other.detectorState(), 0.0);
    }

    @Test
    void detectingUpdatesTheStoredDetectorAndSumsAndKeepsTheScore() {
        double[] detector = AnomalyDetector.initialState(2);
        DETECTOR.update(detector, new double[] {1, 2}, null);
        SensorState s = SensorState.restore(2, 1_000L, 3L, 0.9, detector, new long[TypicalInterval.STATE_SIZE], 2,
                new double[] {1.0, 2.0}, new double[] {0.5, 4.0});
        double[] expected = detector.clone();
        AnomalyDetector.Result direct = DETECTOR.update(expected, new double[] {1.5, 2.5}, new double[] {-1.5, 0.5});

        AnomalyDetector.Result result = s.detect(new double[] {1.5, 2.5}, new double[] {-1.5, 0.5}, DETECTOR);

        assertEquals(direct.score(), result.score(), 0.0);
        assertTrue(result.warmingUp());
        assertArrayEquals(expected, s.detectorState(), 0.0);
        assertEquals(result.score(), s.anomalyScore(), 0.0);
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
    void aReadingWithoutAPreviousForecastAddsNoError() {
        SensorState s = SensorState.restore(2, 1_000L, 3L, 0.9, new double[0], new long[0], 2,
                new double[] {1.0, 2.0}, new double[] {0.5, 4.0});
        assertEquals(0.0, s.detect(new double[] {1, 1}, null, DETECTOR).score(), 0.0);
        assertEquals(0.0, s.anomalyScore(), 0.0);
        assertEquals(2, s.scoredReadings());
        assertArrayEquals(new double[] {1.0, 2.0}, s.errorAbsSum(), 0.0);
    }

    @Test
    void gapsAreJudgedAgainstTheKeysOwnIntervals() {
        TypicalInterval policy = new TypicalInterval(3.0, 60_000L);
        SensorState s = SensorState.first(1);
        long t = 0;
        for (int i = 0; i < 4; i++) {
            t += 3_600_000L;
            s.isGap(t, policy);
            s.advance(t, 0);
        }
        assertFalse(s.isGap(t + 2 * 3_600_000L, policy), "one missed hourly reading: no gap");
        s.advance(t + 2 * 3_600_000L, 0);
        assertTrue(s.isGap(t + 2 * 3_600_000L + 24 * 3_600_000L, policy), "a day: a gap");
        assertEquals(6, s.intervals()[0]);
    }

    @Test
    void aNewKeyStartsEmpty() {
        SensorState s = SensorState.first(3);
        assertEquals(0, s.scoredReadings());
        assertEquals(0L, s.modelVersion());
        assertArrayEquals(new double[3], s.errorSquaredSum(), 0.0);
        assertArrayEquals(AnomalyDetector.initialState(3), s.detectorState(), 0.0);
    }
}
