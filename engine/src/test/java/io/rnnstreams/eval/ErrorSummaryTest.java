package io.rnnstreams.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** MAE, RMSE and MASE per sensor and overall, against hand-computed numbers. */
class ErrorSummaryTest {

    @Test
    void oneChannel() {
        ErrorAccumulator a = new ErrorAccumulator(1);
        a.add(new double[] {1}, new double[] {2});
        a.add(new double[] {-2}, new double[] {-2});
        a.add(new double[] {3}, new double[] {2});
        ErrorSummary s = a.summary();
        assertEquals(3, s.readings());
        assertEquals(2.0, s.mae(), 1e-15, "(1 + 2 + 3) / 3");
        assertEquals(Math.sqrt(14.0 / 3), s.rmse(), 1e-15, "sqrt((1 + 4 + 9) / 3) = 2.1602");
        assertEquals(1.0, s.mase(), 1e-15, "6 / 6");
    }

    @Test
    void channelsAreAveragedAfterScalingEachByItsOwnPersistenceError() {
        ErrorAccumulator a = new ErrorAccumulator(2);
        a.add(new double[] {1, 0}, new double[] {2, 1});
        a.add(new double[] {-1, 4}, new double[] {-2, -3});
        ErrorSummary s = a.summary();
        // MAE_0 = 1, MAE_1 = 2; MSE_0 = 1, MSE_1 = 8; MASE_0 = 2 / 4, MASE_1 = 4 / 4
        assertEquals(1.5, s.mae(), 1e-15);
        assertEquals(Math.sqrt(4.5), s.rmse(), 1e-15);
        assertEquals(0.75, s.mase(), 1e-15);
    }

    @Test
    void aConstantChannelIsLeftOutOfMase() {
        ErrorAccumulator a = new ErrorAccumulator(2);
        a.add(new double[] {1, 0.5}, new double[] {4, 0});
        a.add(new double[] {1, 0.5}, new double[] {4, 0});
        ErrorSummary s = a.summary();
        assertEquals(0.75, s.mae(), 1e-15, "both channels count in MAE");
        assertEquals(0.25, s.mase(), 1e-15, "channel 1's persistence error is 0: only channel 0, 2 / 8");

        ErrorAccumulator constant = new ErrorAccumulator(1);
        constant.add(new double[] {0}, new double[] {0});
        assertTrue(Double.isNaN(constant.summary().mase()));
    }

    @Test
    void overallPoolsErrorsAndAveragesMasePerSensor() {
        ErrorSummary first = new ErrorSummary(3, 1, 2.0, Math.sqrt(14.0 / 3), 1.0);
        ErrorSummary second = new ErrorSummary(1, 1, 4.0, 4.0, 0.5);
        ErrorSummary overall = ErrorSummary.overall(List.of(first, second, ErrorSummary.empty(1)));
        assertEquals(4, overall.readings());
        assertEquals(2.5, overall.mae(), 1e-15, "(6 + 4) / 4");
        assertEquals(Math.sqrt(7.5), overall.rmse(), 1e-15, "sqrt((14 + 16) / 4)");
        assertEquals(0.75, overall.mase(), 1e-15, "(1 + 0.5) / 2");
    }

    @Test
    void nothingScoredIsNotANumber() {
        ErrorSummary s = new ErrorAccumulator(1).summary();
        assertEquals(0, s.readings());
        assertTrue(Double.isNaN(s.mae()) && Double.isNaN(s.rmse()) && Double.isNaN(s.mase()));
        ErrorSummary overall = ErrorSummary.overall(List.of());
        assertEquals(0, overall.readings());
        assertTrue(Double.isNaN(overall.mae()));
    }
}
