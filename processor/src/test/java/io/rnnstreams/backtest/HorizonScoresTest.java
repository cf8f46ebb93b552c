package io.rnnstreams.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.LaggedOutput;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The backtest's horizon-wise MASE ({@link HorizonScores}) and the placement of the lagged scores
 * ({@link LaggedRecords#scores}), checked by hand.
 */
class HorizonScoresTest {
    /** One sensor on a line x(t) = 2t, N = 2, each prediction's step h forecast x(t) + h (so its error is h). */
    private static SensorSeries line(int n, boolean carry) {
        long[] times = new long[n];
        double[][] actuals = new double[n][];
        double[][][] horizons = new double[n][][];
        for (int t = 0; t < n; t++) {
            times[t] = 1_000L * t;
            actuals[t] = new double[] {2.0 * t};
            horizons[t] = carry ? new double[][] {{2.0 * t + 1}, {2.0 * t + 2}} : null;
        }
        return new SensorSeries("line", times, actuals, actuals, new double[n][], new double[n], 0,
                new double[n][], new double[n][], List.of(), horizons);
    }

    @Test
    void eachHorizonIsScoredAgainstThePredictionHReadingsBack() {
        HorizonScores.Result r = HorizonScores.score(List.of(line(10, true)), 1, 1.0, 1000);
        assertEquals(2, r.horizon());
        // t = 2..9: x(t) - forecast(t-h, h) = 2t - (2(t-h) + h) = h; naive |x(t) - x(t-1)| = 2
        assertEquals(8, r.application().get(0).readings());
        assertEquals(0.5, r.application().get(0).mase(), 1e-12, "h = 1: error 1 over naive 2");
        assertEquals(1.0, r.application().get(1).mase(), 1e-12, "h = 2: error 2 over naive 2");
        assertEquals(1.0, r.persistence().get(0).mase(), 1e-12, "persistence at h = 1 is the naive scale");
        assertEquals(2.0, r.persistence().get(1).mase(), 1e-12, "and h on a line at h");
        assertTrue(r.ar().get(1).mase() >= 0);
        String table = HorizonScores.table(r, 1);
        assertTrue(table.contains("| 1 | 0.500 | 1.000 |"), table);
        assertTrue(table.contains("| 2 | 1.000 | 2.000 |"), table);
        assertNull(HorizonScores.score(List.of(line(10, false)), 1, 1.0, 1000), "no multi-step forecasts: no section");
    }

    @Test
    void theLaggedScoreLandsAtTheReadingThatCompletedItOrInHindsightAtTheJudgedOne() {
        SensorSeries s = line(6, false);
        List<LaggedRecords.Point> points = List.of(new LaggedRecords.Point(0, 2, 0.1, false),
                new LaggedRecords.Point(1_000, 2, 0.2, true), new LaggedRecords.Point(2_000, 2, 0.3, false),
                new LaggedRecords.Point(3_000, 2, 0.4, false), new LaggedRecords.Point(99_000, 2, 0.9, true));
        assertArrayEquals(new double[] {0, 0, 0.1, 0.2, 0.3, 0.4}, LaggedRecords.scores(s, points, true), 0.0);
        assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.4, 0, 0}, LaggedRecords.scores(s, points, false), 0.0,
                "the last L readings are not judged; an unknown event time is passed over");
        assertArrayEquals(new boolean[] {false, false, false, true, false, false},
                LaggedRecords.alarms(s, points, true),
                "the stream's lagged alarms, placed as the scores");
        assertArrayEquals(new boolean[] {false, true, false, false, false, false},
                LaggedRecords.alarms(s, points, false));
    }

    /** The backtest scores a lagged output's lagged score ({@code score}), not its two-sided test ({@code laggedScore}). */
    @Test
    void aLaggedOutputIsScoredByItsLaggedScore() {
        LaggedOutput o = LaggedOutput.newBuilder().setSensor("s").setEventTime(Instant.ofEpochMilli(3_000))
                .setSequence(4).setLag(2).setSmoothed(List.of(1.0)).setResidual(List.of(0.5)).setLaggedScore(0.25)
                .setWarmingUp(false).setScore(0.75).setAnomaly(true).build();
        assertEquals(new LaggedRecords.Point(3_000, 2, 0.75, true), LaggedRecords.Point.of(o));
    }
}
