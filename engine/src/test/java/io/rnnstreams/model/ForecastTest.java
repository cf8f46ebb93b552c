package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Multi-step forecasts of a trained {@link Learner} and the per-reading {@link Observation}. */
class ForecastTest {
    static final double PERIOD = 40;
    static final int N = 2_000;

    static LearnerConfig config() {
        return LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(1).hiddenSizes(16).cellType(CellType.LSTM).seed(3).build())
                .k1(8).k2(16)
                .optimizer(OptimizerConfig.adam(0.005))
                .clipping(GradientClipping.of(1.0, 0))
                .build();
    }

    static double sine(int t) {
        return Math.sin(2 * Math.PI * t / PERIOD);
    }

    static Learner trained;
    static Observation last;

    @BeforeAll
    static void train() {
        trained = new Learner(config());
        for (int t = 0; t < N; t++) {
            last = trained.observe(new double[] {sine(t)});
        }
    }

    static void assertBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                what + ": " + expected + " vs " + actual);
    }

    static void assertBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertBits(expected[i], actual[i], what + "[" + i + "]");
        }
    }

    static void assertSameState(Learner.LearnerSnapshot a, Learner.LearnerSnapshot b) {
        ModelSnapshot ma = a.model();
        ModelSnapshot mb = b.model();
        assertEquals(ma.version(), mb.version());
        assertBits(ma.parameters(), mb.parameters(), "parameters");
        assertBits(ma.optimizerState(), mb.optimizerState(), "optimizer state");
        assertEquals(ma.updates(), mb.updates());
        assertEquals(ma.restores(), mb.restores());
        assertEquals(ma.optimizerSteps(), mb.optimizerSteps());
        SequenceSnapshot sa = a.sequence();
        SequenceSnapshot sb = b.sequence();
        assertBits(sa.hiddenState(), sb.hiddenState(), "hidden state");
        assertBits(sa.anchor(), sb.anchor(), "anchor");
        assertBits(sa.windowInputs(), sb.windowInputs(), "window inputs");
        assertBits(sa.windowTargets(), sb.windowTargets(), "window targets");
        assertEquals(sa.windowCount(), sb.windowCount());
        assertEquals(sa.windowHead(), sb.windowHead());
        assertEquals(sa.pushesSinceUpdate(), sb.pushesSinceUpdate());
        assertEquals(sa.normaliserCount(), sb.normaliserCount());
        assertBits(sa.normaliserMean(), sb.normaliserMean(), "normaliser mean");
        assertBits(sa.normaliserM2(), sb.normaliserM2(), "normaliser m2");
        assertBits(sa.lastInput(), sb.lastInput(), "last input");
        assertEquals(sa.hasLastInput(), sb.hasLastInput());
        assertBits(sa.lastForecast(), sb.lastForecast(), "last forecast");
        assertEquals(sa.readings(), sb.readings());
    }

    @Test
    void oneStepForecastIsTheLastObservationsForecast() {
        double[][] f = trained.forecast(1);
        assertEquals(1, f.length);
        assertBits(last.forecast(), f[0], "forecast(1)[0]");
        assertBits(last.forecast(), trained.forecast(5)[0], "forecast(5)[0]");
    }

    /** Residual mode (the default): each step's output is a change, added to the previous step's forecast. */
    @Test
    void forecastEqualsAManualRolloutOnARestoredCopy() {
        assertTrue(config().residual());
        Learner copy = Learner.restore(config(), trained.exportState());
        Network net = copy.model().network();
        Normaliser norm = copy.sequence().normaliser();
        double[] state = copy.sequence().hiddenState();
        double mean = norm.mean(0);
        double std = norm.std(0);
        double lastInput = copy.exportState().sequence().lastInput()[0];

        double[] z = new double[1];
        net.output(state, z);
        double level = lastInput + z[0];
        double[] expected = new double[5];
        expected[0] = mean + std * level;
        for (int k = 1; k < 5; k++) {
            net.step(state, new double[] {level}, z);
            level = level + z[0];
            expected[k] = mean + std * level;
        }
        double[][] actual = trained.forecast(5);
        assertEquals(5, actual.length);
        for (int k = 0; k < 5; k++) {
            assertEquals(1, actual[k].length);
            assertBits(expected[k], actual[k][0], "step " + k);
        }
        // the copy's own forecast agrees too
        double[][] fromCopy = copy.forecast(5);
        for (int k = 0; k < 5; k++) {
            assertBits(actual[k], fromCopy[k], "copy step " + k);
        }
    }

    @Test
    void forecastChangesNoState() {
        Learner.LearnerSnapshot before = trained.exportState();
        double[][] first = trained.forecast(7);
        Learner.LearnerSnapshot after = trained.exportState();
        assertSameState(before, after);
        double[][] second = trained.forecast(7);
        for (int k = 0; k < 7; k++) {
            assertBits(first[k], second[k], "repeat forecast step " + k);
        }
    }

    @Test
    void forecastingDoesNotPerturbLaterObservations() {
        Learner a = new Learner(config());
        Learner b = new Learner(config());
        for (int t = 0; t < 200; t++) {
            double[] r = {sine(t) + 0.01 * (t % 3)};
            Observation oa = a.observe(r);
            if (t % 5 == 0) {
                a.forecast(3 + t % 4);
            }
            Observation ob = b.observe(r);
            assertBits(ob.forecast(), oa.forecast(), "forecast at t=" + t);
            assertEquals(ob.trained(), oa.trained());
        }
        assertSameState(b.exportState(), a.exportState());
    }

    @Test
    void fiveStepForecastTracksTheNoiselessContinuation() {
        double[][] f = trained.forecast(5);
        double maxError = 0;
        for (int k = 0; k < 5; k++) {
            assertTrue(Double.isFinite(f[k][0]), "step " + k + " is " + f[k][0]);
            // the last reading was t = N - 1, so forecast k is of t = N + k
            maxError = Math.max(maxError, Math.abs(f[k][0] - sine(N + k)));
        }
        System.out.printf("5-step forecast max error on sine(period 40) after %d readings: %.4f%n", N, maxError);
        assertTrue(maxError < 0.2, "max error " + maxError);
        // and it is not persistence: the true continuation moves by far more than the bound over 5 steps
        assertTrue(Math.abs(sine(N + 4) - sine(N - 1)) > 0.2 || Math.abs(sine(N + 2) - sine(N - 1)) > 0.2);
    }

    @Test
    void forecastBeforeAnyReadingThrows() {
        Learner fresh = new Learner(config());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fresh.forecast(3));
        assertTrue(e.getMessage().contains("no reading"), e.getMessage());
    }

    @Test
    void forecastOfZeroStepsThrows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trained.forecast(0));
        assertTrue(e.getMessage().contains("steps") && e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> trained.forecast(-2));
        // even before a reading, the argument is checked
        assertThrows(IllegalArgumentException.class, () -> new Learner(config()).forecast(0));
    }

    @Test
    void previousErrorIsNullFirstThenReadingMinusPreviousForecast() {
        Learner l = new Learner(config());
        Observation first = l.observe(new double[] {0.3});
        assertNull(first.previousError());
        double[] prevForecast = first.forecast();
        for (int t = 1; t < 100; t++) {
            double reading = 0.3 + sine(t) * 1.7;
            Observation o = l.observe(new double[] {reading});
            assertNotNull(o.previousError(), "t=" + t);
            assertEquals(1, o.previousError().length);
            assertBits(reading - prevForecast[0], o.previousError()[0], "previous error at t=" + t);
            prevForecast = o.forecast();
        }
        // after a reset of the recurrent state the next reading has no previous forecast again
        l.sequence().resetRecurrentState();
        assertNull(l.observe(new double[] {1.0}).previousError());
        assertNotNull(l.observe(new double[] {1.1}).previousError());
    }

    @Test
    void trainedFlagFollowsK1() {
        Learner l = new Learner(config());
        int trainings = 0;
        for (int t = 0; t < 100; t++) {
            Observation o = l.observe(new double[] {sine(t)});
            // the first reading pushes nothing; pair p (1-based) is pushed at reading p; training every 8 pairs
            assertEquals(t >= 1 && t % 8 == 0, o.trained(), "t=" + t);
            if (o.trained()) {
                trainings++;
            }
        }
        assertEquals(12, trainings);
        assertEquals(12, l.model().updates() + l.model().restores());
    }
}
