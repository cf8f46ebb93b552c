package io.rnnstreams.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rnnstreams.eval.ErrorSummary;
import io.rnnstreams.eval.OnlineAr;
import org.junit.jupiter.api.Test;

/** Prequential scoring of the RNN, the AR baseline and persistence on the same readings, by hand. */
class SensorScorerTest {

    static SensorSeries series(double[] x, double[] forecasts, double[][] previousErrors) {
        int n = x.length;
        long[] times = new long[n];
        double[][] actuals = new double[n][];
        double[][] f = new double[n][];
        for (int t = 0; t < n; t++) {
            times[t] = 1_000L * t;
            actuals[t] = new double[] {x[t]};
            f[t] = new double[] {forecasts[t]};
        }
        return new SensorSeries("s", times, actuals, f, previousErrors, new double[n], 0);
    }

    @Test
    void scoresEveryReadingAfterTheFirst() {
        double[] x = {1, 2, 4, 7};
        double[] forecasts = {1.5, 3, 5, 8};
        double[][] previousErrors = {null, {0.5}, {1}, {2}};
        SensorResult r = new SensorScorer(1, 0.999, 100).score(series(x, forecasts, previousErrors));
        assertEquals(3, r.rnn().readings());
        assertEquals(3.5 / 3, r.rnn().mae(), 1e-15);
        assertEquals(Math.sqrt(5.25 / 3), r.rnn().rmse(), 1e-15);
        assertEquals((3.5 / 3) / 2, r.rnn().mase(), 1e-15, "persistence MAE (1 + 2 + 3) / 3 = 2");
        assertEquals(0.0, r.maxPairingDiscrepancy(), "previousError = actual - previous forecast exactly");

        // AR(1): forecast after x0 is persistence (theta0); it learns (phi (1, 1), y 2) at x1, then (1, 2) -> 4 at x2
        OnlineAr ar = new OnlineAr(1, 1, 0.999, 100);
        double[][] expected = new double[4][];
        for (int t = 0; t < 4; t++) {
            expected[t] = ar.next(new double[] {x[t]});
        }
        assertArrayEquals(new double[] {1}, expected[0], 0.0);
        for (int t = 0; t < 4; t++) {
            assertArrayEquals(expected[t], r.arForecasts()[t], 0.0);
        }
        double arAbs = Math.abs(2 - expected[0][0]) + Math.abs(4 - expected[1][0]) + Math.abs(7 - expected[2][0]);
        assertEquals(arAbs / 3, r.ar().mae(), 1e-15);
        assertEquals(arAbs / 6, r.ar().mase(), 1e-15);
        assertEquals(3, r.ar().readings());
    }

    @Test
    void reportsADisagreementBetweenPreviousErrorAndTheForecasts() {
        double[] x = {1, 2, 4};
        double[][] previousErrors = {null, {0.5}, {1.25}};
        SensorResult r = new SensorScorer(1, 0.999, 100).score(series(x, new double[] {1.5, 3, 5}, previousErrors));
        assertEquals(0.25, r.maxPairingDiscrepancy(), 1e-15, "4 - 3 = 1, reported 1.25");
    }

    @Test
    void readingsWithoutPreviousErrorAreNotScored() {
        double[] x = {1, 2, 4, 7};
        double[][] previousErrors = {null, {0.5}, null, {2}};
        SensorResult r = new SensorScorer(2, 0.999, 100).score(series(x, new double[] {1.5, 3, 5, 8},
                previousErrors));
        assertEquals(2, r.rnn().readings());
        assertEquals(2, r.ar().readings());
        assertEquals(1.25, r.rnn().mae(), 1e-15);
        assertEquals(1.25 / 2, r.rnn().mase(), 1e-15, "persistence (1 + 3) / 2");
    }

    @Test
    void winnerIsTheLowerMase() {
        ErrorSummary low = new ErrorSummary(10, 1, 2.0, 2.0, 0.5);
        ErrorSummary high = new ErrorSummary(10, 1, 1.0, 1.0, 0.7);
        assertEquals("model", SensorResult.winner(low, high));
        assertEquals("AR", SensorResult.winner(high, low));
        assertEquals("tie", SensorResult.winner(low, low));
        ErrorSummary noMase = new ErrorSummary(10, 1, 1.0, 1.0, Double.NaN);
        assertEquals("model", SensorResult.winner(noMase, low), "by MAE when a MASE is not a number");
    }
}
