package io.rnnstreams.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Online error quantiles: their coverage on known distributions, warm-up and bad input. */
class PredictionIntervalsTest {
    /** Covered fraction of 20,000 errors drawn by {@code draw}, counted after the warm-up, at level 0.9. */
    private static double coverage(java.util.function.DoubleSupplier draw) {
        PredictionIntervals intervals = new PredictionIntervals(0.9);
        double[] state = PredictionIntervals.initialState(1);
        long covered = 0;
        long checked = 0;
        for (int i = 0; i < 20_000; i++) {
            double e = draw.getAsDouble();
            if (PredictionIntervals.ready(state)) {
                double lo = PredictionIntervals.bounds(state, new double[] {0}, 1, false)[0];
                double hi = PredictionIntervals.bounds(state, new double[] {0}, 1, true)[0];
                covered += e >= lo && e <= hi ? 1 : 0;
                checked++;
            }
            intervals.update(state, new double[] {e});
        }
        return (double) covered / checked;
    }

    @Test
    void coversAboutNinetyPercentOfGaussianSkewedAndHeavyTailedErrors() {
        Random r = new Random(7);
        double gaussian = coverage(() -> 3 * r.nextGaussian() + 1);
        double exponential = coverage(() -> -Math.log(1 - r.nextDouble()));
        double cauchyLike = coverage(() -> r.nextGaussian() / Math.max(0.05, Math.abs(r.nextGaussian())));
        assertEquals(0.9, gaussian, 0.02, "gaussian");
        assertEquals(0.9, exponential, 0.02, "exponential");
        assertEquals(0.9, cauchyLike, 0.03, "heavy tails");
    }

    @Test
    void readyAfterTheWarmUpAndUnchangedByANonFiniteError() {
        PredictionIntervals intervals = new PredictionIntervals(0.9);
        double[] state = PredictionIntervals.initialState(2);
        for (int i = 0; i < PredictionIntervals.WARM_UP - 1; i++) {
            intervals.update(state, new double[] {i % 3 - 1, 0.5 * (i % 5)});
        }
        assertFalse(PredictionIntervals.ready(state));
        double[] before = state.clone();
        intervals.update(state, new double[] {1, Double.NaN});
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(state));
        intervals.update(state, new double[] {1, 1});
        assertTrue(PredictionIntervals.ready(state));
        assertThrows(IllegalArgumentException.class, () -> new PredictionIntervals(1.0));
    }
}
