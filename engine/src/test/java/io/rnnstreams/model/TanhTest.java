package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Activation#tanh} against {@link StrictMath#tanh} (fdlibm, the reference): its stated contract. */
class TanhTest {
    private static final int SAMPLES = 200_000;

    /** Largest error in ulps of the reference over log-uniform |z| in [lo, hi), both signs. */
    private static double maxUlps(double lo, double hi, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double logLo = Math.log(lo);
        double logHi = Math.log(hi);
        double worst = 0.0;
        for (int k = 0; k < SAMPLES; k++) {
            double z = Math.exp(logLo + random.nextDouble() * (logHi - logLo));
            if (random.nextBoolean()) {
                z = -z;
            }
            double expected = StrictMath.tanh(z);
            double actual = Activation.tanh(z);
            assertTrue(Math.abs(actual - expected) <= 4e-15 * Math.abs(expected),
                    () -> "relative error above 4e-15: " + actual + " vs " + expected);
            worst = Math.max(worst, Math.abs(actual - expected) / Math.ulp(expected));
        }
        return worst;
    }

    @Test
    void withinStatedUlpsOfStrictMath() {
        assertTrue(maxUlps(1e-300, Activation.TANH_SERIES_LIMIT, 1L) <= 4.0, "series range");
        double nearLimit = maxUlps(Activation.TANH_SERIES_LIMIT, 0.1, 2L);
        assertTrue(nearLimit <= 32.0, "just above the series limit: " + nearLimit + " ulps");
        assertTrue(maxUlps(0.1, 20.0, 3L) <= 4.0, "0.1 <= |z| < 20");
    }

    @Test
    void theBoundIsNotVacuous() {
        // negative control: the plain formula without the series (1 - t)/(1 + t) near 0 loses ~all digits,
        // and a 1e-7 relative perturbation is far outside the bound the test above enforces
        double z = 1e-9;
        double t = Math.exp(-2.0 * z);
        double plain = (1.0 - t) / (1.0 + t);
        assertTrue(Math.abs(plain - StrictMath.tanh(z)) / Math.ulp(StrictMath.tanh(z)) > 1e4);
        assertTrue(Math.abs(Activation.tanh(z) - StrictMath.tanh(z)) / Math.ulp(StrictMath.tanh(z)) <= 4.0);
    }

    @Test
    void oddBitForBit() {
        SplittableRandom random = new SplittableRandom(4L);
        for (int k = 0; k < SAMPLES; k++) {
            double z = 40.0 * random.nextDouble() - 20.0;
            assertEquals(Double.doubleToRawLongBits(-Activation.tanh(z)), Double.doubleToRawLongBits(Activation.tanh(-z)),
                    "z = " + z);
        }
    }

    @Test
    void specialValues() {
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(Activation.tanh(0.0)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Activation.tanh(-0.0)));
        assertEquals(Double.MIN_VALUE, Activation.tanh(Double.MIN_VALUE));
        assertEquals(1.0, Activation.tanh(20.0));
        assertEquals(-1.0, Activation.tanh(-20.0));
        assertEquals(1.0, Activation.tanh(400.0));
        assertEquals(1.0, Activation.tanh(Double.MAX_VALUE));
        assertEquals(1.0, Activation.tanh(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Activation.tanh(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Activation.tanh(Double.NaN)));
        assertEquals(StrictMath.tanh(Activation.TANH_SERIES_LIMIT), Activation.tanh(Activation.TANH_SERIES_LIMIT),
                32 * Math.ulp(Activation.TANH_SERIES_LIMIT), "at the series limit (exp branch, its worst region)");
    }

    @Test
    void elmanTanhActivationUsesIt() {
        assertEquals(Activation.tanh(0.37), Activation.TANH.apply(0.37), 0.0);
        assertEquals(1.0 - 0.25 * 0.25, Activation.TANH.derivativeFromOutput(0.25), 0.0);
    }
}
