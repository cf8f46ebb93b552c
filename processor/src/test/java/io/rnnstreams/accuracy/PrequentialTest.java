package io.rnnstreams.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.rnnstreams.eval.Baselines;
import io.rnnstreams.eval.Dataset;
import io.rnnstreams.eval.ErrorSummary;
import io.rnnstreams.eval.KeySeries;
import io.rnnstreams.eval.Prequential;
import io.rnnstreams.eval.StreamMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prequential scoring and the baselines on series small enough to check by hand. */
class PrequentialTest {
    /** Forecasts 2 for every key, whatever it sees. */
    static StreamMethod constant(double value) {
        return new StreamMethod() {
            @Override
            public String name() {
                return "constant";
            }

            @Override
            public double[] observe(String key, double[] reading) {
                return new double[] {value};
            }
        };
    }

    static KeySeries series(String key, double... values) {
        double[][] v = new double[values.length][];
        for (int t = 0; t < values.length; t++) {
            v[t] = new double[] {values[t]};
        }
        return new KeySeries(key, v);
    }

    static Dataset data(int period, KeySeries... keys) {
        return new Dataset("tiny", "tiny", 1, period, List.of(keys));
    }

    @Test
    void keysAreInterleavedStepByStepOrDeliveredOneAfterTheOther() {
        List<String> seen = new java.util.ArrayList<>();
        StreamMethod recorder = new StreamMethod() {
            @Override
            public String name() {
                return "recorder";
            }

            @Override
            public double[] observe(String key, double[] reading) {
                seen.add(key + reading[0]);
                return reading.clone();
            }
        };
        Dataset two = data(0, series("a", 1, 2, 3), series("b", 7, 8));
        Prequential.run(two, recorder);
        assertEquals(List.of("a1.0", "b7.0", "a2.0", "b8.0", "a3.0"), seen);
        seen.clear();
        ErrorSummary e = Prequential.run(two.inSequence(), recorder).errors();
        assertEquals(List.of("a1.0", "a2.0", "a3.0", "b7.0", "b8.0"), seen);
        assertEquals(3, e.readings(), "each key's first reading is unscored either way");
    }

    @Test
    void metricsOnAHandCheckedSeries() {
        // x = 1, 3, 2, 5; the constant forecast 2 errs by 1, 0, 3 on readings 1..3; persistence by 2, -1, 3
        ErrorSummary e = Prequential.run(data(0, series("a", 1, 3, 2, 5)), constant(2)).errors();
        assertEquals(3, e.readings());
        assertEquals(4.0 / 3, e.mae(), 1e-12);
        assertEquals(Math.sqrt(10.0 / 3), e.rmse(), 1e-12);
        assertEquals((4.0 / 3) / 2.0, e.mase(), 1e-12);
    }

    @Test
    void keysArePooledForMaeAndRmseAndAveragedForMase() {
        // key b: x = 10, 30, 20, 50 -> constant 2 errs by 28, 18, 48; persistence by 20, -10, 30
        ErrorSummary e = Prequential.run(data(0, series("a", 1, 3, 2, 5), series("b", 10, 30, 20, 50)),
                constant(2)).errors();
        assertEquals(6, e.readings());
        assertEquals((1 + 0 + 3 + 28 + 18 + 48) / 6.0, e.mae(), 1e-12);
        assertEquals(Math.sqrt((1 + 0 + 9 + 784 + 324 + 2304) / 6.0), e.rmse(), 1e-12);
        double maseA = (4.0 / 3) / 2.0;
        double maseB = (94.0 / 3) / 20.0;
        assertEquals((maseA + maseB) / 2, e.mase(), 1e-12);
    }

    @Test
    void persistenceIsOneOnItsOwnScale() {
        for (Dataset d : GeneratedSeries.all(3, 300, 5)) {
            ErrorSummary e = Prequential.run(d, Baselines.persistence()).errors();
            assertEquals(1.0, e.mase(), 0.0, d.name());
            assertEquals(3 * 299, e.readings(), d.name());
        }
        // negative control: a method that is not persistence is not 1
        assertNotEquals(1.0, Prequential.run(data(0, series("a", 1, 3, 2, 5)), constant(2)).errors().mase());
    }

    @Test
    void seasonalPersistenceRepeatsThePeriodAndFallsBackToPersistence() {
        // period 3; forecasts for readings 1..6: persistence 1, 2 (fewer than 3 seen), then x(t-3): 1, 2, 3, 1
        ErrorSummary e = Prequential.run(data(3, series("a", 1, 2, 3, 1, 2, 3, 1)),
                Baselines.seasonalPersistence(3)).errors();
        assertEquals(6, e.readings());
        assertEquals(2.0 / 6, e.mae(), 1e-12);
        // persistence errs by 1, 1, 2, 1, 1, 2 = 8
        assertEquals((2.0 / 6) / (8.0 / 6), e.mase(), 1e-12);
    }

    @Test
    void arLearnsASineExactly() {
        // a noise-free sine obeys x(t) = 2 cos(w) x(t-1) - x(t-2) + c: AR(2) with an intercept learns it
        double[] x = new double[300];
        for (int t = 0; t < x.length; t++) {
            x[t] = 5 + 3 * Math.sin(0.3 * t);
        }
        Dataset d = data(0, series("a", x));
        double ar = Prequential.run(d, Baselines.onlineAr(1, 2, 0.999, 100)).errors().mase();
        assertEquals(true, ar < 0.05, "AR(2) MASE " + ar);
        // negative control: AR(1) cannot, it stays near persistence
        double ar1 = Prequential.run(d, Baselines.onlineAr(1, 1, 0.999, 100)).errors().mase();
        assertEquals(true, ar1 > 0.5, "AR(1) MASE " + ar1);
    }
}
