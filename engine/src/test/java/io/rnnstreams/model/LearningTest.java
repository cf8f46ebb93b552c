package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Prequential learning, one reading at a time: over readings 5,000..10,000 the forecaster's MSE must be
 * below 0.5x (noisy sine) and 0.8x (Mackey-Glass) of the persistence forecast's on the same readings.
 */
class LearningTest {
    static final int N = 10_000;
    static final int FROM = 5_000;

    static LearnerConfig config(CellType cell) {
        return LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(1).hiddenSizes(16).cellType(cell).seed(3).build())
                .k1(8).k2(16)
                .optimizer(OptimizerConfig.adam(0.005))
                .clipping(GradientClipping.of(1.0, 0))
                .build();
    }

    /** {rnn MSE, persistence MSE} over readings FROM..N-1. */
    static double[] prequentialMse(LearnerConfig config, double[] series) {
        Learner learner = new Learner(config);
        double rnn = 0;
        double persistence = 0;
        int scored = 0;
        for (int t = 0; t < series.length; t++) {
            Observation o = learner.observe(new double[] {series[t]});
            if (t >= FROM) {
                rnn += o.previousError()[0] * o.previousError()[0];
                double p = series[t] - series[t - 1];
                persistence += p * p;
                scored++;
            }
        }
        return new double[] {rnn / scored, persistence / scored};
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void beatsPersistenceOnNoisySine(CellType cell) {
        double[] mse = prequentialMse(config(cell), Series.noisySine(N, 40, 0.05, 99));
        System.out.printf("noisy sine %s: RNN MSE %.5f, persistence MSE %.5f, ratio %.3f%n", cell, mse[0], mse[1],
                mse[0] / mse[1]);
        assertTrue(mse[0] < 0.5 * mse[1], "ratio " + mse[0] / mse[1]);
    }

    /** Forecasting the level instead of the change (rnn.model.residual=false) learns too. */
    @ParameterizedTest
    @EnumSource(CellType.class)
    void levelModeBeatsPersistenceOnNoisySine(CellType cell) {
        LearnerConfig level = config(cell).toBuilder().residual(false).build();
        double[] mse = prequentialMse(level, Series.noisySine(N, 40, 0.05, 99));
        System.out.printf("noisy sine %s, level mode: RNN MSE %.5f, persistence MSE %.5f, ratio %.3f%n", cell, mse[0],
                mse[1], mse[0] / mse[1]);
        assertTrue(mse[0] < 0.5 * mse[1], "ratio " + mse[0] / mse[1]);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void beatsPersistenceOnMackeyGlass(CellType cell) {
        double[] mse = prequentialMse(config(cell), Series.mackeyGlass(N));
        System.out.printf("Mackey-Glass %s: RNN MSE %.6f, persistence MSE %.6f, ratio %.3f%n", cell, mse[0], mse[1],
                mse[0] / mse[1]);
        assertTrue(mse[0] < 0.8 * mse[1], "ratio " + mse[0] / mse[1]);
    }
}
