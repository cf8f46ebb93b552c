package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.eval.OnlineAr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Prequential learning, one reading at a time, scored over readings 5,000..10,000 against three forecasters that
 * see the same readings: persistence (x[t-1]), the online AR(8) of {@link OnlineAr#defaults} (recursive least
 * squares, the accuracy suite's linear baseline) and, on the smooth Mackey-Glass series only, the fixed two-point
 * extrapolation 2x[t-1] - x[t-2] (no learning at all).
 *
 * <p>The thresholds are the ratios measured on this engine (2026-12-06, before the learner rewrite), rounded up by
 * about 20 %, so that a regression of the learner fails and an improvement shows in the printed ratios. What they
 * show today: on the noisy sine the RNN beats persistence but not the AR(8), which is as good as the noise allows;
 * on Mackey-Glass the RNN beats persistence, while the AR(8) and even the two-point extrapolation beat the RNN by
 * an order of magnitude. No test here shows the RNN beating a linear forecaster. Re-measure every ratio when the
 * learner changes.
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

    /** Mean squared one-step errors over readings FROM..N-1 of the RNN and its baselines. */
    record Scores(double rnn, double persistence, double ar, double extrapolation) {
        double rnnToPersistence() {
            return rnn / persistence;
        }

        double rnnToAr() {
            return rnn / ar;
        }

        String describe(String what) {
            return String.format("%s: MSE RNN %.3g, persistence %.3g, AR(8) %.3g, 2x[t-1]-x[t-2] %.3g; RNN/persistence "
                            + "%.3f, AR/persistence %.3f, extrapolation/persistence %.3f, RNN/AR %.2f", what, rnn,
                    persistence, ar, extrapolation, rnn / persistence, ar / persistence, extrapolation / persistence,
                    rnn / ar);
        }
    }

    static Scores prequentialMse(LearnerConfig config, double[] series) {
        Learner learner = new Learner(config);
        OnlineAr ar = OnlineAr.defaults(1);
        double rnn = 0;
        double persistence = 0;
        double linear = 0;
        double extrapolation = 0;
        int scored = 0;
        for (int t = 0; t < series.length; t++) {
            double arForecast = t == 0 ? Double.NaN : ar.forecast()[0];
            Observation o = learner.observe(new double[] {series[t]});
            ar.observe(new double[] {series[t]});
            if (t >= FROM) {
                rnn += o.previousError()[0] * o.previousError()[0];
                double p = series[t] - series[t - 1];
                persistence += p * p;
                double a = series[t] - arForecast;
                linear += a * a;
                double e = series[t] - (2 * series[t - 1] - series[t - 2]);
                extrapolation += e * e;
                scored++;
            }
        }
        return new Scores(rnn / scored, persistence / scored, linear / scored, extrapolation / scored);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void beatsPersistenceOnNoisySine(CellType cell) {
        Scores s = prequentialMse(config(cell), Series.noisySine(N, 40, 0.05, 99));
        System.out.println(s.describe("noisy sine " + cell));
        // measured: RNN/persistence 0.216 (Elman), 0.213 (GRU), 0.245 (LSTM); AR(8) 0.222; RNN/AR 0.96-1.10
        assertTrue(s.rnnToPersistence() < 0.30, s.describe("RNN/persistence over 0.30"));
        assertTrue(s.rnnToAr() < 1.35, s.describe("RNN/AR over 1.35"));
    }

    /** Forecasting the level instead of the change (rnn.model.residual=false) learns too. */
    @ParameterizedTest
    @EnumSource(CellType.class)
    void levelModeBeatsPersistenceOnNoisySine(CellType cell) {
        LearnerConfig level = config(cell).toBuilder().residual(false).build();
        Scores s = prequentialMse(level, Series.noisySine(N, 40, 0.05, 99));
        System.out.println(s.describe("noisy sine " + cell + ", level mode"));
        // measured: RNN/persistence 0.220 (Elman), 0.201 (GRU), 0.194 (LSTM); RNN/AR 0.87-0.99
        assertTrue(s.rnnToPersistence() < 0.27, s.describe("RNN/persistence over 0.27"));
        assertTrue(s.rnnToAr() < 1.2, s.describe("RNN/AR over 1.2"));
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void beatsPersistenceOnMackeyGlass(CellType cell) {
        Scores s = prequentialMse(config(cell), Series.mackeyGlass(N));
        System.out.println(s.describe("Mackey-Glass " + cell));
        // measured: RNN/persistence 0.116 (Elman), 0.031 (GRU), 0.054 (LSTM); the two-point extrapolation 0.049;
        // AR(8) with the series-scaled prior (issue 18) 0.00009, so RNN/AR 1,333 (Elman), 354 (GRU), 618 (LSTM):
        // the linear AR is far better here (the plain RNN alone; the hybrid learner is measured in the accuracy suite)
        double[] limits = switch (cell) {   // {RNN/persistence, RNN/AR}
            case ELMAN -> new double[] {0.14, 1600};
            case GRU -> new double[] {0.04, 425};
            case LSTM -> new double[] {0.065, 740};
        };
        assertTrue(s.rnnToPersistence() < limits[0], s.describe("RNN/persistence over " + limits[0]));
        assertTrue(s.rnnToAr() < limits[1], s.describe("RNN/AR over " + limits[1]));
    }
}
