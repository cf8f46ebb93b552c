package io.rnnstreams.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The classical per-sensor forecasters on hand-worked cases. */
class ClassicalForecastersTest {
    /** A member that always forecasts the same value. */
    static SensorForecaster constant(double value) {
        return new SensorForecaster() {
            @Override
            public int channels() {
                return 1;
            }

            @Override
            public double[] next(double[] reading) {
                return new double[] {value};
            }

            @Override
            public StateSize stateSize() {
                return StateSize.NONE;
            }
        };
    }

    @Test
    void seasonalPersistenceForecastsTheReadingOnePeriodBackAfterPersistenceWhileWarmingUp() {
        SeasonalPersistence s = new SeasonalPersistence(1, 3);
        double[] expected = {1, 2, 1, 2, 3, 4};
        for (int t = 0; t < 6; t++) {
            assertArrayEquals(new double[] {expected[t]}, s.next(new double[] {t + 1}), 0.0, "reading " + (t + 1));
        }
    }

    @Test
    void holtWithoutSeasonFollowsTheRecursionByHand() {
        // alpha = beta = 0.5, phi = 1: level 1 -> 0.5*3 + 0.5*1 = 2, trend 0.5*(2-1) = 0.5, forecast 2.5;
        // then level 0.5*4 + 0.5*(2 + 0.5) = 3.25, trend 0.5*1.25 + 0.5*0.5 = 0.875, forecast 4.125
        HoltWinters h = new HoltWinters(1, 0, new HoltWinters.Parameters(0.5, 0.5, 0, 1));
        double[] f = new double[1];
        h.observe(new double[] {1});
        h.forecast(f);
        assertEquals(1.0, f[0], 0.0);
        h.observe(new double[] {3});
        h.forecast(f);
        assertEquals(2.5, f[0], 1e-15);
        h.observe(new double[] {4});
        h.forecast(f);
        assertEquals(4.125, f[0], 1e-15);
    }

    @Test
    void holtWintersSeasonsStartAsRunningMeansOfTheirDeviations() {
        // m = 2, alpha 0.5, beta 0, gamma 0.1: reading 10 sets the level; 12 (slot 1, g = 1): level 11, s1 = 1,
        // forecast for slot 0: 11 + 0; 10 (slot 0, g = max(0.1, 1/2)): level 0.5*10 + 0.5*11 = 10.5,
        // s0 = 0.5*(10 - 10.5) = -0.25, forecast for slot 1: 10.5 + 1 = 11.5
        HoltWinters h = new HoltWinters(1, 2, new HoltWinters.Parameters(0.5, 0, 0.1, 1));
        double[] f = new double[1];
        h.observe(new double[] {10});
        h.forecast(f);
        assertEquals(10.0, f[0], 0.0);
        h.observe(new double[] {12});
        h.forecast(f);
        assertEquals(11.0, f[0], 1e-15);
        h.observe(new double[] {10});
        h.forecast(f);
        assertEquals(11.5, f[0], 1e-15);
    }

    @Test
    void onlineHoltWintersWithOneCandidateIsThatCandidate() {
        HoltWinters.Parameters p = new HoltWinters.Parameters(0.3, 0.05, 0.2, 0.98);
        OnlineHoltWinters online = new OnlineHoltWinters(1, 24, List.of(p));
        HoltWinters single = new HoltWinters(1, 24, p);
        Random random = new Random(2);
        double[] f = new double[1];
        for (int t = 0; t < 500; t++) {
            double[] x = {Math.sin(2 * Math.PI * t / 24) + 0.1 * random.nextGaussian()};
            single.observe(x);
            single.forecast(f);
            // the online version keeps its seasons in float: equal to rounding
            assertEquals(f[0], online.next(x)[0], 1e-6, "reading " + t);
        }
    }

    @Test
    void onlineHoltWintersLearnsANoisySeasonBetterThanSeasonalPersistence() {
        Random random = new Random(4);
        OnlineHoltWinters hw = new OnlineHoltWinters(1, 24);
        SeasonalPersistence naive = new SeasonalPersistence(1, 24);
        double hwError = 0;
        double naiveError = 0;
        double[] hwForecast = null;
        double[] naiveForecast = null;
        for (int t = 0; t < 3_000; t++) {
            double[] x = {5 + 2 * Math.sin(2 * Math.PI * t / 24) + 0.3 * random.nextGaussian()};
            if (t >= 1_000) {
                hwError += Math.abs(x[0] - hwForecast[0]);
                naiveError += Math.abs(x[0] - naiveForecast[0]);
            }
            hwForecast = hw.next(x);
            naiveForecast = naive.next(x);
        }
        // seasonal persistence errs by the difference of two noises (mean |e| 0.3 * 2 / sqrt(pi) = 0.34),
        // a smoothed season by about one noise (0.3 * sqrt(2 / pi) = 0.24)
        assertTrue(hwError < 0.8 * naiveError, "Holt-Winters " + hwError + " against " + naiveError);
    }

    @Test
    void theCombinationWeighsMembersByTheInverseSquareOfTheirRecentMeanSquaredErrors() {
        // members forecast 0 and 4, readings are 1: after one scored reading the recent squared errors are
        // 0.02 * 1 and 0.02 * 9, weights 0.02^-2 : 0.18^-2 = 81 : 1, forecast 4 / 82
        ErrorWeightedCombination c = new ErrorWeightedCombination(List.of(constant(0), constant(4)));
        assertEquals(2.0, c.next(new double[] {1})[0], 0.0, "equal weights before any error is known");
        assertEquals(4.0 / 82, c.next(new double[] {1})[0], 1e-12);
        double[] w = new double[2];
        c.weights(0, w);
        assertArrayEquals(new double[] {81.0 / 82, 1.0 / 82}, w, 1e-12);
    }

    @Test
    void anExactMemberTakesAllTheWeight() {
        ErrorWeightedCombination c = new ErrorWeightedCombination(List.of(constant(0), constant(10)));
        c.next(new double[] {10});
        assertEquals(10.0, c.next(new double[] {10})[0], 0.0);
    }

    @Test
    void theClassicalCombinationIsDeterministic() {
        Random a = new Random(8);
        Random b = new Random(8);
        ErrorWeightedCombination first = ClassicalForecasters.combination(2, 24, 8);
        ErrorWeightedCombination second = ClassicalForecasters.combination(2, 24, 8);
        assertEquals(4, first.members().size(), "persistence, seasonal persistence, AR, Holt-Winters");
        for (int t = 0; t < 2_000; t++) {
            double s = Math.sin(2 * Math.PI * t / 24);
            double[] fa = first.next(new double[] {s + 0.1 * a.nextGaussian(), 100 + a.nextGaussian()});
            double[] fb = second.next(new double[] {s + 0.1 * b.nextGaussian(), 100 + b.nextGaussian()});
            for (int ch = 0; ch < 2; ch++) {
                assertEquals(Double.doubleToLongBits(fa[ch]), Double.doubleToLongBits(fb[ch]), "reading " + t);
            }
        }
    }

    /**
     * The compact grid's candidates are candidates of the full grid with the same seasons' leader (alpha 0.1,
     * beta 0), so a compact Holt-Winters follows exactly the recursions of those candidates of a full one: the
     * full one's state adopted by a compact one is the compact one's own state, bit for bit (how a key's state
     * stored under the full grid is read).
     */
    @Test
    void aCompactHoltWintersAdoptsTheFullGridsStateOfItsCandidates() {
        List<HoltWinters.Parameters> compact = OnlineHoltWinters.compactGrid(24);
        assertEquals(0.1, compact.get(0).alpha(), "the same seasons' leader as the full grid's group of its gamma");
        assertEquals(0.0, compact.get(0).beta());
        OnlineHoltWinters full = new OnlineHoltWinters(2, 24);
        OnlineHoltWinters own = new OnlineHoltWinters(2, 24, compact);
        Random random = new Random(4);
        for (int t = 0; t < 1_000; t++) {
            double[] x = {Math.sin(2 * Math.PI * t / 24) + 0.1 * random.nextGaussian(), 50 + t * 0.01};
            full.next(x);
            own.next(x);
        }
        OnlineHoltWinters adopted = new OnlineHoltWinters(2, 24, compact);
        adopted.adopt(full);
        io.rnnstreams.model.CompactState.Writer a = new io.rnnstreams.model.CompactState.Writer();
        io.rnnstreams.model.CompactState.Writer b = new io.rnnstreams.model.CompactState.Writer();
        own.writeState(a);
        adopted.writeState(b);
        assertEquals(a.build(), b.build());
        assertThrows(IllegalArgumentException.class, () -> new OnlineHoltWinters(2, 24).adopt(own),
                "the full grid's other candidates are not in the compact one");
        assertThrows(IllegalArgumentException.class, () -> adopted.adopt(new OnlineHoltWinters(2, 12, compact)));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new SeasonalPersistence(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new HoltWinters.Parameters(1.5, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ErrorWeightedCombination(List.of()));
        assertThrows(IllegalStateException.class, () -> new HoltWinters(1, 0,
                new HoltWinters.Parameters(0.5, 0, 0, 1)).forecast(new double[1]));
    }
}
