package io.rnnstreams.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Pairing input records with predictions, leaving out every kind of dead letter. */
class PairingTest {
    static Reading r(long t, double... v) {
        return new Reading(t, v);
    }

    static PredictionPoint p(long t, double forecast, Double previousError) {
        return new PredictionPoint(t, new double[] {forecast}, previousError == null ? null
                : new double[] {previousError}, 0.5);
    }

    @Test
    void deadLettersAreSkippedAndTheRestPairedInOrder() {
        List<Reading> records = List.of(
                r(10, 1.0),
                r(20, Double.NaN),      // NON_FINITE
                r(20, 2.0),
                r(20, 3.0),             // OUT_OF_ORDER: duplicate event time
                r(15, 3.0),             // OUT_OF_ORDER: earlier
                r(30, 1.0, 2.0),        // WRONG_DIMENSION
                r(40, 5e12),            // OUT_OF_RANGE
                r(-1, 1.0),             // MISSING_TIMESTAMP
                r(50, 4.0),
                r(60, 5.0));            // after the predictions read: no prediction yet
        List<PredictionPoint> predictions = List.of(p(10, 1.5, null), p(20, 3.0, 0.5), p(50, 4.5, 1.0));
        Pairing.Result result = new Pairing(1, 1e12).pair("s", records, predictions);
        SensorSeries s = result.series();
        assertArrayEquals(new long[] {10, 20, 50}, s.eventTimes());
        assertArrayEquals(new double[] {1.0}, s.actuals()[0]);
        assertArrayEquals(new double[] {2.0}, s.actuals()[1]);
        assertArrayEquals(new double[] {4.0}, s.actuals()[2]);
        assertArrayEquals(new double[] {3.0}, s.forecasts()[1]);
        assertNull(s.previousErrors()[0]);
        assertArrayEquals(new double[] {0.5}, s.previousErrors()[1]);
        assertEquals(7, s.skipped());
        assertEquals(0, result.unmatchedPredictions());
    }

    @Test
    void predictionsWithoutARecordAreCounted() {
        List<Reading> records = List.of(r(10, 1.0), r(20, 2.0));
        List<PredictionPoint> predictions = List.of(p(10, 1.5, null), p(10, 1.5, null), p(20, 2.5, 0.5),
                p(30, 3.5, 0.5));
        Pairing.Result result = new Pairing(1, 1e12).pair("s", records, predictions);
        assertEquals(2, result.series().size());
        assertEquals(2, result.unmatchedPredictions(), "the duplicate at 10 and the one after the snapshot");
    }
}
