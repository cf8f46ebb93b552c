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
    void coefficientsOfANoiseFreeAr2SeriesConvergeWithin1e4After500Steps() {
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
        double[] standardisation = ar.standardisation(0);
        // on standardised values z = (x - c) / s the intercept is a0 = c (a1 + a2 - 1) / s for a raw intercept 0
        double rawIntercept = standardisation[1] * theta[0] + standardisation[0] * (1 - theta[1] - theta[2]);
        System.out.printf("AR(2) after 500 steps: raw intercept %.3e, a1 - true %.3e, a2 - true %.3e; worst forecast "
                + "error after step 100 %.3e%n", rawIntercept, theta[1] - A1, theta[2] - A2, worstForecastError);
        // the prior is in units of the series' variance (here ~200 raw units^2), so its decaying bias is
        // larger than with P = 100 I in raw units: ~1e-5 after 500 steps
        assertEquals(0.0, rawIntercept, 1e-3, "intercept (amplitude 20)");
        assertEquals(A1, theta[1], 1e-4, "a1 = 2 cos(1) = 1.0806046117");
        assertEquals(A2, theta[2], 1e-4, "a2");
        assertTrue(worstForecastError < 1e-2, "forecasts after step 100 within 1e-2: " + worstForecastError);
    }

    @Test
    void higherOrderAlsoForecastsANoiseFreeAr2SeriesExactly() {
        double[] x = ar2Series(600);
        OnlineAr ar = OnlineAr.defaults(1);
        for (int t = 0; t < 500; t++) {
            ar.observe(new double[] {x[t]});
        }
        for (int t = 500; t < 600; t++) {
            assertEquals(x[t], ar.forecast()[0], 1e-3, "reading " + t + " (amplitude 20)");
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
        for (int t = 0; t < 3; t++) { // fewer than p = 3 values: persistence; at p, no update yet: no model
            assertArrayEquals(new double[] {x[t]}, ar.next(new double[] {x[t]}), 0.0, "reading " + t);
        }
        // reading 3 is the first target. Standardisation from {2, 4, 1, 8}: centre 3.75, scale
        // s = sqrt(28.75 / 3); phi = (1, -1.75, 0.25, -2.75) / s (intercept 1), target 4.25 / s.
        // One RLS step from theta0 = (0, 1, 0, 0): P phi = 100 phi, denominator = 0.999 + 100 |phi|^2,
        // |phi|^2 = 1 + 10.6875 / s^2, error = (8 - 2) / s; theta = theta0 + 100 phi (6 / s) / denominator.
        // Forecast on phi' = (1, 4.25, -1.75, 0.25) / s: 3.75 + s theta.phi' = 8 + 600 (phi.phi') / denominator,
        // phi.phi' = 1 - 8.5625 / s^2.
        double s2 = 28.75 / 3;
        double denominator = 0.999 + 100 * (1 + 10.6875 / s2);
        double expected = 8 + 600 * (1 - 8.5625 / s2) / denominator;
        assertEquals(expected, ar.next(new double[] {x[3]})[0], 1e-12);
        assertEquals(8.3007379, expected, 1e-7);
        assertArrayEquals(new double[] {3.75, Math.sqrt(s2)}, ar.standardisation(0), 1e-15);
    }

    @Test
    void forecastsDoNotDependOnTheSeriesUnits() {
        // the prior is in units of the series' own variance: an affine change of units changes nothing else.
        // (Planted bug: standardising with centre 0, scale 1, i.e. the old raw-unit prior, fails this test with a
        // worst relative difference of 12.4.)
        Random random = new Random(3);
        double[] x = ar2Series(1_000);
        OnlineAr raw = OnlineAr.defaults(1);
        OnlineAr tiny = OnlineAr.defaults(1);
        double worst = 0;
        for (int t = 0; t < x.length; t++) {
            double v = x[t] + random.nextGaussian();
            double fr = raw.next(new double[] {v})[0];
            double ft = tiny.next(new double[] {0.027 + 1e-4 * v})[0];
            worst = Math.max(worst, Math.abs((ft - 0.027) / 1e-4 - fr) / (1 + Math.abs(fr)));
        }
        assertTrue(worst < 1e-6, "forecasts in other units agree: worst relative difference " + worst);
    }

    @Test
    void aForecastNeverMovesMoreThanThreeTimesTheLargestStepSeen() {
        // heavy-tailed steps (Cauchy) make least squares jumpy; the clamp bounds every forecast
        Random random = new Random(9);
        OnlineAr ar = OnlineAr.defaults(1);
        double x = 0;
        double maxStep = 0;
        double sumAbs = 0;
        double sumNaive = 0;
        double previousForecast = Double.NaN;
        double previous = Double.NaN;
        for (int t = 0; t < 5_000; t++) {
            double step = 0.1 * Math.tan(Math.PI * (random.nextDouble() - 0.5));
            x = 0.9 * x + step;
            if (t > 0) {
                maxStep = Math.max(maxStep, Math.abs(x - previous));
                sumAbs += Math.abs(x - previousForecast);
                sumNaive += Math.abs(x - previous);
            }
            double f = ar.next(new double[] {x})[0];
            assertTrue(Math.abs(f - x) <= 3 * maxStep + 1e-12, "reading " + t + ": forecast " + f + " from " + x);
            previousForecast = f;
            previous = x;
        }
        assertTrue(sumAbs / sumNaive < 1.0, "and it still beats persistence: MASE " + sumAbs / sumNaive);
    }

    @Test
    void whileTheModelErrsMoreThanTwicePersistenceItForecastsPersistence() {
        // a sinusoid learned exactly, then the series turns into a random walk: the AR still extrapolates the
        // sinusoid's dynamics, its recent error exceeds twice persistence's, and persistence takes over
        OnlineAr ar = new OnlineAr(1, 2, 1.0, 100);
        double[] x = ar2Series(500);
        for (double v : x) {
            ar.observe(new double[] {v});
        }
        Random random = new Random(1);
        double last = x[x.length - 1];
        int persistenceForecasts = 0;
        for (int t = 0; t < 2_000; t++) {
            last += random.nextGaussian();
            double f = ar.next(new double[] {last})[0];
            if (f == last) {
                persistenceForecasts++;
            }
        }
        assertTrue(persistenceForecasts > 0, "the guard engaged: " + persistenceForecasts + " persistence forecasts");
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
