package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same seed and readings give bit-identical forecasts and weights; exporting mid-stream and importing
 * into a fresh learner continues bit-identically.
 */
class DeterminismTest {
    private static LearnerConfig config(CellType cell, int hidden) {
        return LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(3).hiddenSizes(hidden, 8).cellType(cell).seed(17).build())
                .k1(4).k2(12).optimizer(OptimizerConfig.adam(0.01)).build();
    }

    private static double[] reading(int t) {
        return new double[] {Math.sin(t * 0.1), Math.cos(t * 0.37) * 5 + 100, (t % 17) * 0.25};
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void sameSeedSameReadingsSameBits(CellType cell) {
        runTwiceAndResume(config(cell, 16), 10_000, 5_000);
    }

    /** H = 128, k2 = 64: the recurrent weight gradients go through jblas dgemm, deterministic too. */
    @Test
    void jblasPathIsDeterministicToo() {
        LearnerConfig config = config(CellType.LSTM, 128).toBuilder().k1(32).k2(64).build();
        assertEquals(WindowGradients.JBLAS, WindowGradients.forShape(4 * 128, 128, 64));
        runTwiceAndResume(config, 600, 300);
    }

    /** Models that share one training scratch learn exactly as models with their own. */
    @Test
    void modelsSharingTrainingScratchLearnAsIfAlone() {
        LearnerConfig config = config(CellType.GRU, 16);
        Model alone1 = new Model(config);
        Model alone2 = new Model(config);
        Model shared1 = new Model(config);
        Model shared2 = new Model(config, shared1.scratch());
        OnlineForecaster forecaster = new OnlineForecaster(config);
        SequenceState[] seq = new SequenceState[4];
        for (int i = 0; i < 4; i++) {
            seq[i] = new SequenceState(config);
        }
        for (int t = 0; t < 2_000; t++) {
            double[] a = forecaster.observe(alone1, seq[0], reading(t)).forecast();
            double[] b = forecaster.observe(alone2, seq[1], reading(t + 7)).forecast();
            double[] c = forecaster.observe(shared1, seq[2], reading(t)).forecast();
            double[] d = forecaster.observe(shared2, seq[3], reading(t + 7)).forecast();
            assertBits(a, c, "first model at " + t);
            assertBits(b, d, "second model at " + t);
        }
        assertEquals(true, shared2.updates() > 100);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Model(config(CellType.LSTM, 16), shared1.scratch()));
    }

    private static void runTwiceAndResume(LearnerConfig config, int n, int cut) {
        Learner a = new Learner(config);
        Learner b = new Learner(config);
        Learner resumed = null;
        for (int t = 0; t < n; t++) {
            Observation oa = a.observe(reading(t));
            Observation ob = b.observe(reading(t));
            assertBits(oa.forecast(), ob.forecast(), "forecast at reading " + t);
            if (t == cut - 1) {
                resumed = Learner.restore(config, a.exportState());
            } else if (t >= cut) {
                Observation or = resumed.observe(reading(t));
                assertBits(oa.forecast(), or.forecast(), "resumed forecast at reading " + t);
            }
        }
        assertSameState(a.exportState(), b.exportState());
        assertSameState(a.exportState(), resumed.exportState());
        assertEquals(n, a.sequence().readings());
        assertEquals(true, a.model().updates() > 0);
    }

    static void assertSameState(Learner.LearnerSnapshot x, Learner.LearnerSnapshot y) {
        Function<Learner.LearnerSnapshot, Object[]> fields = s -> new Object[] {
            s.model().parameters(), s.model().optimizerState(), s.sequence().hiddenState(), s.sequence().anchor(),
            s.sequence().windowInputs(), s.sequence().windowTargets(), s.sequence().normaliserMean(),
            s.sequence().normaliserM2(), s.sequence().lastInput(), s.sequence().lastForecast()};
        Object[] fx = fields.apply(x);
        Object[] fy = fields.apply(y);
        for (int i = 0; i < fx.length; i++) {
            assertBits((double[]) fx[i], (double[]) fy[i], "state array " + i);
        }
        assertEquals(x.model().updates(), y.model().updates());
        assertEquals(x.model().optimizerSteps(), y.model().optimizerSteps());
        assertEquals(x.sequence().readings(), y.sequence().readings());
        assertEquals(x.sequence().windowHead(), y.sequence().windowHead());
        assertEquals(x.sequence().normaliserCount(), y.sequence().normaliserCount());
    }

    static void assertBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                throw new AssertionError(what + "[" + i + "]: " + expected[i] + " != " + actual[i]);
            }
        }
    }
}
