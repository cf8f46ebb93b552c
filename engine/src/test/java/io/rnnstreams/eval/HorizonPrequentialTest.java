package io.rnnstreams.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Horizon-wise scoring on hand-worked cases, and the iterated baselines' multi-step forecasts: their first
 * horizon is their one-step forecast, and on series of known structure they continue it as that structure says.
 */
class HorizonPrequentialTest {
    private static Dataset line(int keys, int n, double slope) {
        List<KeySeries> series = new java.util.ArrayList<>();
        for (int k = 0; k < keys; k++) {
            double[][] v = new double[n][1];
            for (int t = 0; t < n; t++) {
                v[t][0] = k * 100 + slope * t;
            }
            series.add(new KeySeries("k" + k, v));
        }
        return new Dataset("line", "x = slope t", 1, 0, series);
    }

    private static HorizonMethod persistence() {
        return new HorizonMethod() {
            public String name() {
                return "persistence";
            }

            public double[][] observe(String key, double[] reading, int horizon) {
                double[][] f = new double[horizon][];
                for (int h = 0; h < horizon; h++) {
                    f[h] = reading.clone();
                }
                return f;
            }
        };
    }

    @Test
    void persistenceOnALineScoresHAtHorizonHAndAnOracleZero() {
        HorizonPrequential.Result p = HorizonPrequential.run(line(3, 50, 2.0), persistence(), 5);
        for (int h = 1; h <= 5; h++) {
            assertEquals(h, p.mase(h), 1e-12, "persistence's error at h is h steps of the line");
            assertEquals(3 * (50 - 5), p.perHorizon().get(h - 1).readings(), "readings t >= N of every key");
        }
        HorizonMethod oracle = new HorizonMethod() {
            public String name() {
                return "oracle";
            }

            public double[][] observe(String key, double[] reading, int horizon) {
                double[][] f = new double[horizon][1];
                for (int h = 0; h < horizon; h++) {
                    f[h][0] = reading[0] + 2.0 * (h + 1);
                }
                return f;
            }
        };
        HorizonPrequential.Result o = HorizonPrequential.run(line(2, 30, 2.0).inSequence(), oracle, 4);
        for (int h = 1; h <= 4; h++) {
            assertEquals(0.0, o.mase(h), 0.0);
        }
    }

    /** AR(1) with coefficient 0.8 around 5: the iterated forecast decays as 0.8^h towards the mean. */
    @Test
    void iteratedArContinuesAnArProcess() {
        OnlineAr ar = new OnlineAr(1, 2, OnlineAr.DEFAULT_LAMBDA, OnlineAr.DEFAULT_DELTA);
        SplittableRandom random = new SplittableRandom(4);
        double x = 5;
        for (int t = 0; t < 20_000; t++) {
            x = 5 + 0.8 * (x - 5) + 0.1 * (random.nextDouble() - 0.5);
            ar.observe(new double[] {x});
        }
        double[][] f = ar.forecast(10);
        assertEquals(ar.forecast()[0], f[0][0], 0.0, "h = 1 is the one-step forecast");
        for (int h = 1; h <= 10; h++) {
            double expected = 5 + Math.pow(0.8, h) * (x - 5);
            assertEquals(expected, f[h - 1][0], 0.002, "h = " + h);
        }
    }

    /** A noise-free season of period 4 on a constant level: Holt-Winters' h-step forecast continues it. */
    @Test
    void holtWintersContinuesASeason() {
        OnlineHoltWinters hw = new OnlineHoltWinters(1, 4);
        double[] pattern = {1, 3, 2, 0};
        double[] last = null;
        for (int t = 0; t < 4_000; t++) {
            last = hw.next(new double[] {10 + pattern[t % 4]});
        }
        double[][] f = hw.forecast(9);
        assertEquals(last[0], f[0][0], 0.0, "h = 1 is what next returned");
        for (int h = 1; h <= 9; h++) {
            assertEquals(10 + pattern[(4_000 + h - 1) % 4], f[h - 1][0], 1e-3, "h = " + h);
        }
    }
}
