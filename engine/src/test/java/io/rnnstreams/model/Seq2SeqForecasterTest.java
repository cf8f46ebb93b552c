package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The seq2seq forecaster online: supervision arrives N readings later, a fresh residual model forecasts
 * persistence at every horizon, the same seed and readings give the same bits, and it learns a horizon that
 * persistence cannot.
 */
class Seq2SeqForecasterTest {
    private static Seq2SeqConfig config(CellType cell, int k1, int k2, int horizon) {
        return new Seq2SeqConfig(LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(3).hiddenSizes(16, 8).cellType(cell).seed(17).build())
                .k1(k1).k2(k2).optimizer(OptimizerConfig.adam(0.01)).build(), horizon);
    }

    private static double[] reading(int t) {
        return new double[] {Math.sin(t * 0.1), Math.cos(t * 0.37) * 5 + 100, (t % 17) * 0.25};
    }

    @Test
    void theFirstUpdateWaitsForTheNReadingsThatSuperviseTheFirstStep() {
        Seq2SeqLearner learner = new Seq2SeqLearner(config(CellType.LSTM, 1, 8, 6));
        for (int t = 0; t < 6; t++) {
            learner.observe(reading(t));
            assertEquals(0, learner.model().updates(), "no step is supervised after " + (t + 1) + " readings");
        }
        learner.observe(reading(6));
        assertEquals(1, learner.model().updates(), "reading 7 supervises the state after reading 1");
    }

    @Test
    void aFreshResidualModelForecastsPersistenceAtEveryHorizon() {
        Seq2SeqLearner learner = new Seq2SeqLearner(config(CellType.GRU, 4, 8, 5));
        learner.observe(reading(0));
        double[][] f = learner.forecast(5);
        for (double[] h : f) {
            assertArrayEquals(reading(0), h, 1e-12);
        }
        assertThrows(IllegalArgumentException.class, () -> learner.forecast(6));
        assertThrows(IllegalArgumentException.class, () -> new Seq2SeqConfig(config(CellType.GRU, 4, 8, 5).learner(), 0));
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void sameSeedSameReadingsSameBits(CellType cell) {
        Seq2SeqConfig config = config(cell, 4, 12, 7);
        Seq2SeqLearner a = new Seq2SeqLearner(config);
        Seq2SeqLearner b = new Seq2SeqLearner(config);
        for (int t = 0; t < 3_000; t++) {
            a.observe(reading(t));
            b.observe(reading(t));
            double[][] fa = a.forecast(7);
            double[][] fb = b.forecast(7);
            for (int h = 0; h < 7; h++) {
                for (int i = 0; i < 3; i++) {
                    assertEquals(Double.doubleToRawLongBits(fa[h][i]), Double.doubleToRawLongBits(fb[h][i]),
                            "reading " + t + ", horizon " + (h + 1));
                }
            }
        }
        double[] wa = new double[a.model().network().parameterCount()];
        double[] wb = new double[wa.length];
        a.model().network().writeParameters(wa);
        b.model().network().writeParameters(wb);
        assertArrayEquals(wa, wb, 0.0);
        assertTrue(a.model().updates() > 700, "it trained: " + a.model().updates());
    }

    /**
     * A model built from the seeded snapshot ({@link EncoderDecoderModel#EncoderDecoderModel(Seq2SeqConfig,
     * ModelSnapshot)}: the seeded initialisation skipped, the weights read) forecasts and trains to the same bits as
     * the seeded model, and another seed's snapshot changes the forecasts.
     */
    @ParameterizedTest
    @EnumSource(CellType.class)
    void aModelBuiltFromTheSeededSnapshotContinuesBitIdentically(CellType cell) {
        Seq2SeqConfig config = config(cell, 4, 12, 7);
        EncoderDecoderModel seeded = new EncoderDecoderModel(config);
        EncoderDecoderModel copy = new EncoderDecoderModel(config, new EncoderDecoderModel(config).exportState());
        Seq2SeqConfig other = new Seq2SeqConfig(config.learner().toBuilder().network(config.network().toBuilder()
                .seed(config.network().seed() + 1).build()).build(), 7);
        EncoderDecoderModel otherSeed = new EncoderDecoderModel(config, new EncoderDecoderModel(other).exportState());
        EncoderDecoderModel[] models = {seeded, copy, otherSeed};
        Seq2SeqState[] states = {new Seq2SeqState(config), new Seq2SeqState(config), new Seq2SeqState(config)};
        Seq2SeqForecaster forecaster = new Seq2SeqForecaster(config);
        boolean differs = false;
        for (int t = 0; t < 600; t++) {
            double[][][] f = new double[3][][];
            for (int m = 0; m < 3; m++) {
                forecaster.observe(models[m], states[m], reading(t));
                f[m] = forecaster.forecast(states[m], 7);
            }
            for (int h = 0; h < 7; h++) {
                for (int i = 0; i < 3; i++) {
                    assertEquals(Double.doubleToRawLongBits(f[0][h][i]), Double.doubleToRawLongBits(f[1][h][i]),
                            "reading " + t + ", horizon " + (h + 1));
                }
                differs |= !java.util.Arrays.equals(f[0][h], f[2][h]);
            }
        }
        assertTrue(seeded.updates() > 100, "it trained: " + seeded.updates());
        assertArrayEquals(seeded.exportState().parameters(), copy.exportState().parameters(), 0.0);
        assertArrayEquals(seeded.exportState().optimizerState(), copy.exportState().optimizerState(), 0.0);
        assertTrue(differs, "another seed's snapshot forecast the same");
    }

    /**
     * A noisy sine of period 40, N = 10: persistence's error at h = 10 is about |2 sin(pi h / 40)| ~ 0.9 of the
     * amplitude; the seq2seq model, after 4,000 readings, is scored on the next 2,000 at h = 1 and h = 10.
     */
    @Test
    void itLearnsTheHorizonsPersistenceCannot() {
        int horizon = 10;
        Seq2SeqLearner learner = new Seq2SeqLearner(new Seq2SeqConfig(LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(1).hiddenSizes(16).cellType(CellType.LSTM).seed(3).build())
                .k1(8).k2(16).optimizer(OptimizerConfig.adam(0.005)).build(), horizon));
        double[] x = Series.noisySine(6_000 + horizon, 40, 0.05, 9);
        double model1 = 0;
        double modelN = 0;
        double naiveN = 0;
        for (int t = 0; t < 6_000; t++) {
            learner.observe(new double[] {x[t]});
            if (t >= 4_000) {
                double[][] f = learner.forecast(horizon);
                model1 += Math.abs(x[t + 1] - f[0][0]);
                modelN += Math.abs(x[t + horizon] - f[horizon - 1][0]);
                naiveN += Math.abs(x[t + horizon] - x[t]);
            }
        }
        System.out.printf("seq2seq on a noisy sine (period 40), MAE over 2,000 readings: h=1 %.4f, h=10 %.4f; "
                + "persistence at h=10 %.4f%n", model1 / 2000, modelN / 2000, naiveN / 2000);
        assertTrue(modelN < 0.25 * naiveN, "h=10: " + modelN / 2000 + " vs persistence " + naiveN / 2000);
    }

    /**
     * Export at reading 1,500 (model and sequence), import into a fresh model and state, and both continue
     * bit-identically for 1,500 more readings at every horizon (with and without lag inputs); a snapshot of
     * another horizon is refused, naming the array.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void exportAndImportContinueBitIdentically(boolean lag) {
        Seq2SeqConfig config = new Seq2SeqConfig(config(CellType.LSTM, 4, 12, 7).learner(), 7, lag);
        Seq2SeqForecaster forecaster = new Seq2SeqForecaster(config);
        EncoderDecoderModel model = new EncoderDecoderModel(config);
        Seq2SeqState state = new Seq2SeqState(config);
        for (int t = 0; t < 1_500; t++) {
            forecaster.observe(model, state, reading(t));
        }
        EncoderDecoderModel resumedModel = new EncoderDecoderModel(config);
        Seq2SeqState resumed = new Seq2SeqState(config);
        resumedModel.importState(model.exportState());
        resumed.importState(state.exportState());
        for (int t = 1_500; t < 3_000; t++) {
            forecaster.observe(model, state, reading(t));
            forecaster.observe(resumedModel, resumed, reading(t));
            double[][] a = forecaster.forecast(state, 7);
            double[][] b = forecaster.forecast(resumed, 7);
            for (int h = 0; h < 7; h++) {
                for (int i = 0; i < 3; i++) {
                    assertEquals(Double.doubleToRawLongBits(a[h][i]), Double.doubleToRawLongBits(b[h][i]),
                            "reading " + t + ", horizon " + (h + 1));
                }
            }
        }
        assertEquals(model.updates(), resumedModel.updates());
        Seq2SeqState other = new Seq2SeqState(new Seq2SeqConfig(config.learner(), 6, lag));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> other.importState(state.exportState()));
        assertTrue(e.getMessage().startsWith("window inputs"), e.getMessage());
    }
}
