package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Welford's running mean and sample standard deviation against a two-pass reference. */
class NormaliserTest {

    /** {@code n} readings of two channels: 1e6 + N(0, 1) and -3e6 + 250 * N(0, 1). */
    static double[][] readings(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[n][2];
        for (int t = 0; t < n; t++) {
            x[t][0] = 1e6 + Series.gaussian(random);
            x[t][1] = -3e6 + 250 * Series.gaussian(random);
        }
        return x;
    }

    /** Two-pass mean and sample std of channel {@code c}, accumulated exactly in BigDecimal. */
    static double[] twoPass(double[][] x, int c) {
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal sum = BigDecimal.ZERO;
        for (double[] r : x) {
            sum = sum.add(new BigDecimal(r[c]));
        }
        BigDecimal mean = sum.divide(BigDecimal.valueOf(x.length), mc);
        BigDecimal ss = BigDecimal.ZERO;
        for (double[] r : x) {
            BigDecimal d = new BigDecimal(r[c]).subtract(mean);
            ss = ss.add(d.multiply(d));
        }
        double var = ss.divide(BigDecimal.valueOf(x.length - 1), mc).doubleValue();
        return new double[] {mean.doubleValue(), Math.sqrt(var)};
    }

    static void assertRelative(double expected, double actual, double rel, String what) {
        assertTrue(Math.abs(expected - actual) <= rel * Math.abs(expected),
                what + ": expected " + expected + ", got " + actual + ", relative error "
                        + Math.abs(expected - actual) / Math.abs(expected));
    }

    @Test
    void welfordMatchesTwoPassWithLargeOffset() {
        double[][] x = readings(1_000, 11);
        Normaliser n = new Normaliser(2);
        for (double[] r : x) {
            n.update(r);
        }
        assertEquals(1_000, n.count());
        for (int c = 0; c < 2; c++) {
            double[] ref = twoPass(x, c);
            assertRelative(ref[0], n.mean(c), 1e-9, "mean of channel " + c);
            assertRelative(ref[1], n.std(c), 1e-9, "std of channel " + c);
        }
        // sanity: the reference is the sample (n - 1) std, around 1 and 250
        assertEquals(1.0, twoPass(x, 0)[1], 0.1);
        assertEquals(250.0, twoPass(x, 1)[1], 25.0);
    }

    @Test
    void stdIsSampleStdOnASmallHandExample() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squared deviations 32, sample variance 32/7
        Normaliser n = new Normaliser(1);
        for (double v : new double[] {2, 4, 4, 4, 5, 5, 7, 9}) {
            n.update(new double[] {v});
        }
        assertEquals(5.0, n.mean(0), 0.0);
        assertEquals(Math.sqrt(32.0 / 7.0), n.std(0), 1e-15);
    }

    @Test
    void stdIsOneBeforeTwoReadings() {
        Normaliser n = new Normaliser(2);
        assertEquals(1.0, n.std(0));
        assertEquals(0.0, n.mean(0));
        n.update(new double[] {123.5, -7});
        assertEquals(1, n.count());
        assertEquals(1.0, n.std(0));
        assertEquals(1.0, n.std(1));
        assertEquals(123.5, n.mean(0));
        double[] z = new double[2];
        n.normalise(new double[] {124.5, -5}, z);
        assertEquals(1.0, z[0], 0.0);
        assertEquals(2.0, z[1], 0.0);
        n.update(new double[] {125.5, -7});
        assertEquals(Math.sqrt(2.0), n.std(0), 1e-15); // deviations +-1 from 124.5: 2 / (2 - 1)
    }

    @Test
    void constantChannelHasStdOne() {
        Normaliser n = new Normaliser(2);
        SplittableRandom random = new SplittableRandom(5);
        for (int t = 0; t < 500; t++) {
            n.update(new double[] {1e6 + 0.1, random.nextDouble()});
        }
        assertEquals(1.0, n.std(0), 0.0);
        assertTrue(n.std(1) > 0.2 && n.std(1) < 0.4, "uniform(0,1) std ~ 0.289, got " + n.std(1));
        double[] z = new double[2];
        n.normalise(new double[] {1e6 + 0.1, 0.5}, z);
        assertEquals(0.0, z[0], 1e-9);
        // and a constant zero channel
        Normaliser zero = new Normaliser(1);
        for (int t = 0; t < 10; t++) {
            zero.update(new double[] {0.0});
        }
        assertEquals(1.0, zero.std(0));
    }

    @Test
    void normaliseDenormaliseRoundTrip() {
        double[][] x = readings(300, 12);
        Normaliser n = new Normaliser(2);
        for (double[] r : x) {
            n.update(r);
        }
        double[] z = new double[2];
        double[] back = new double[2];
        SplittableRandom random = new SplittableRandom(13);
        for (int t = 0; t < 200; t++) {
            double[] v = {1e6 + 3 * Series.gaussian(random), -3e6 + 500 * Series.gaussian(random)};
            n.normalise(v, z);
            for (int c = 0; c < 2; c++) {
                assertEquals((v[c] - n.mean(c)) / n.std(c), z[c], 0.0);
            }
            n.denormalise(z, back);
            for (int c = 0; c < 2; c++) {
                assertRelative(v[c], back[c], 1e-12, "round trip channel " + c);
            }
        }
        // z = 0 maps to the mean, z = 1 to mean + std
        n.denormalise(new double[] {0, 1}, back);
        assertEquals(n.mean(0), back[0], 0.0);
        assertEquals(n.mean(1) + n.std(1), back[1], 0.0);
    }

    @Test
    void resetAndRestoredStateGiveTheSameStatistics() {
        double[][] x = readings(50, 14);
        Normaliser a = new Normaliser(2);
        for (double[] r : x) {
            a.update(r);
        }
        Normaliser b = new Normaliser(2);
        b.setCount(a.count());
        System.arraycopy(a.meanArray(), 0, b.meanArray(), 0, 2);
        System.arraycopy(a.m2Array(), 0, b.m2Array(), 0, 2);
        assertEquals(a.std(1), b.std(1), 0.0);
        a.reset();
        assertEquals(0, a.count());
        assertEquals(0.0, a.mean(0));
        assertEquals(1.0, a.std(0));
    }
}
