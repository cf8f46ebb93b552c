package io.rnnstreams.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The AR(p) baseline: convergence on a noise-free AR(2) series, constants, warm-up, channels, determinism. */
class OnlineArTest {
    /** {@code x(t) = 2 cos(1) x(t-1) - x(t-2)}: a sinusoid of amplitude 20 (roots on the unit circle).
     * RLS's estimate carries the bias of its decaying prior, {@code (R + lambda^t / delta I)^-1 lambda^t / delta
     * (theta - theta0)}, which shrinks with the signal's power: at amplitude 20 it is below 2e-7 after 500 steps. */
    static final double A1 = 2 * Math.cos(1.0);
    static final double A2 = -1.0;

    static double[] ar2Series(int n) {
        double[] x = new double[n];
        x[0] = 20 * Math.sin(0.3);
        x[1] = 20 * Math.sin(1.3);
        for (int t = 2; t < n; t++) {
            x[t] = A1 * x[t - 1] + A2 * x[t - 2];
        }
        return x;
    }

    @Test
    void coefficientsOfANoiseFreeAr2SeriesConvergeWithin1e6After500Steps() {
        double[] x = ar2Series(500);
        OnlineAr ar = new OnlineAr(1, 2, OnlineAr.DEFAULT_LAMBDA, OnlineAr.DEFAULT_DELTA);
        double worstForecastError = 0;
        for (int t = 0; t < x.length; t++) {
            if (t >= 100) {
                worstForecastError = Math.max(worstForecastError, Math.abs(ar.forecast()[0] - x[t]));
            }
            ar.observe(new double[] {x[t]});
        }
        double[] theta = ar.coefficients(0);
        System.out.printf("AR(2) after 500 steps: intercept %.3e, a1 - true %.3e, a2 - true %.3e; worst forecast "
                + "error after step 100 %.3e%n", theta[0], theta[1] - A1, theta[2] - A2, worstForecastError);
        assertEquals(0.0, theta[0], 1e-6, "intercept");
        assertEquals(A1, theta[1], 1e-6, "a1 = 2 cos(1) = 1.0806046117");
        assertEquals(A2, theta[2], 1e-6, "a2");
        assertTrue(worstForecastError < 1e-3, "forecasts after step 100 within 1e-3: " + worstForecastError);
    }

    @Test
    void higherOrderAlsoForecastsANoiseFreeAr2SeriesExactly() {
        double[] x = ar2Series(600);
        OnlineAr ar = OnlineAr.defaults(1);
        for (int t = 0; t < 500; t++) {
            ar.observe(new double[] {x[t]});
        }
        for (int t = 500; t < 600; t++) {
            assertEquals(x[t], ar.forecast()[0], 1e-6, "reading " + t);
            ar.observe(new double[] {x[t]});
        }
    }

    @Test
    void forecastOfAConstantSeriesIsExactlyTheConstant() {
        OnlineAr ar = OnlineAr.defaults(2);
        for (int t = 0; t < 2_000; t++) {
            assertArrayEquals(new double[] {3.25, -7.0}, ar.next(new double[] {3.25, -7.0}), 0.0, "reading " + t);
        }
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0, 0, 0, 0}, ar.coefficients(0), 0.0,
                "the persistence model it starts from fits a constant exactly, so it never moves");
    }

    @Test
    void forecastIsPersistenceUntilPReadingsThenTheFittedModel() {
        OnlineAr ar = new OnlineAr(1, 3, 0.999, 100);
        double[] x = {1.0, 4.0, 2.0, 8.0, 5.0};
        for (int t = 0; t < 3; t++) { // fewer than p = 3 values: persistence; at p, no update yet: theta0 = persistence
            assertArrayEquals(new double[] {x[t]}, ar.next(new double[] {x[t]}), 0.0, "reading " + t);
        }
        // reading 3 is the first target: one RLS step from theta0 = (0, 1, 0, 0) on phi = (1, 2, 4, 1), y = 8:
        // P phi = 100 phi, denominator = 0.999 + 100 * 22 = 2200.999, error = 8 - 2 = 6,
        // theta = theta0 + 100 phi * 6 / 2200.999; forecast on phi' = (1, 8, 2, 4)
        double g = 600 / 2200.999;
        double expected = g * 1 + (1 + g * 2) * 8 + g * 4 * 2 + g * 1 * 4;
        assertEquals(expected, ar.next(new double[] {x[3]})[0], 1e-12);
        assertEquals(15.90550109, expected, 1e-8); // = 8 + 29 g
    }

    @Test
    void channelsAreFittedIndependently() {
        Random random = new Random(5);
        double[] x = ar2Series(300);
        OnlineAr two = OnlineAr.defaults(2);
        OnlineAr one = OnlineAr.defaults(1);
        for (double v : x) {
            two.observe(new double[] {v, random.nextGaussian()});
            one.observe(new double[] {v});
        }
        assertArrayEquals(one.coefficients(0), two.coefficients(0), 0.0, "channel 0 is unaffected by channel 1");
        assertEquals(one.forecast()[0], two.forecast()[0], 0.0);
    }

    @Test
    void sameReadingsGiveBitIdenticalForecasts() {
        Random a = new Random(11);
        Random b = new Random(11);
        OnlineAr first = OnlineAr.defaults(1);
        OnlineAr second = OnlineAr.defaults(1);
        for (int t = 0; t < 1_000; t++) {
            double[] fa = first.next(new double[] {Math.sin(t * 0.1) + a.nextGaussian() * 0.1});
            double[] fb = second.next(new double[] {Math.sin(t * 0.1) + b.nextGaussian() * 0.1});
            assertEquals(Double.doubleToLongBits(fa[0]), Double.doubleToLongBits(fb[0]), "reading " + t);
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new OnlineAr(0, 8, 0.999, 100));
        assertThrows(IllegalArgumentException.class, () -> new OnlineAr(1, 0, 0.999, 100));
        assertThrows(IllegalArgumentException.class, () -> new OnlineAr(1, 8, 1.5, 100));
        assertThrows(IllegalStateException.class, () -> OnlineAr.defaults(1).forecast());
        assertThrows(IllegalArgumentException.class, () -> OnlineAr.defaults(2).observe(new double[] {1}));
    }
}
