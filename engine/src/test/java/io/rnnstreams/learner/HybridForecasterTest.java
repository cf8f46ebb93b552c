package io.rnnstreams.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.eval.ClassicalForecasters;
import io.rnnstreams.eval.ErrorWeightedCombination;
import io.rnnstreams.eval.StateSize;
import io.rnnstreams.model.LearnerConfig;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hybrid learner's per-reading core, Kafka-free: its ablation, its determinism, and that its recurrent part learns. */
class HybridForecasterTest {
    static LearnerConfig config(int period) {
        return HybridForecaster.networkConfig(LearnerConfig.builder().build(), 1, period, 1.0);
    }

    /** Two keys of the noisy logistic map, interleaved: {@code x[t][k]}. */
    static double[][] logistic(int n) {
        Random random = new Random(3);
        double[] x = {0.3, 0.7};
        double[][] out = new double[n][2];
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < 2; k++) {
                x[k] = 3.9 * x[k] * (1 - x[k]);
                out[t][k] = x[k] + 0.01 * random.nextGaussian();
            }
        }
        return out;
    }

    @Test
    void theAblationIsTheClassicalCombinationBitForBit() {
        HybridForecaster ablation = new HybridForecaster(ModelScope.KEY, config(24), 24, 8, false,
                ModelRepository.inMemory(), 10);
        HybridForecaster.KeyState state = ablation.newKey();
        ErrorWeightedCombination combination = ClassicalForecasters.combination(1, 24, 8);
        Random random = new Random(1);
        for (int t = 0; t < 2_000; t++) {
            double[] x = {Math.sin(2 * Math.PI * t / 24) + 0.2 * random.nextGaussian()};
            assertEquals(Double.doubleToLongBits(combination.next(x)[0]),
                    Double.doubleToLongBits(ablation.observe("a", state, x)[0]), "reading " + t);
        }
    }

    @Test
    void theRecurrentPartLearnsWhatTheLinearPathCannotAndIsDeterministic() {
        double[][] x = logistic(4_000);
        double[] learnerError = new double[2];
        double ablationError = 0;
        double[][] last = new double[2][];
        for (int run = 0; run < 2; run++) {
            HybridForecaster learner = new HybridForecaster(ModelScope.SHARED, config(0), 0, 8, run == 0,
                    ModelRepository.inMemory(), 10);
            HybridForecaster.KeyState[] states = {learner.newKey(), learner.newKey()};
            double[][] forecast = new double[2][];
            double error = 0;
            for (int t = 0; t < x.length; t++) {
                for (int k = 0; k < 2; k++) {
                    if (t >= 2_000) {
                        error += Math.abs(x[t][k] - forecast[k][0]);
                    }
                    forecast[k] = learner.observe("key-" + k, states[k], new double[] {x[t][k]});
                }
            }
            if (run == 0) {
                learnerError[0] = error;
                last[0] = forecast[0];
            } else {
                ablationError = error;
            }
        }
        // the same run again: bit-identical
        HybridForecaster again = new HybridForecaster(ModelScope.SHARED, config(0), 0, 8, true,
                ModelRepository.inMemory(), 10);
        HybridForecaster.KeyState[] states = {again.newKey(), again.newKey()};
        double[][] forecast = new double[2][];
        for (double[] row : x) {
            for (int k = 0; k < 2; k++) {
                forecast[k] = again.observe("key-" + k, states[k], new double[] {row[k]});
            }
        }
        assertEquals(Double.doubleToLongBits(last[0][0]), Double.doubleToLongBits(forecast[0][0]));
        System.out.printf("logistic map, 2 keys, scope shared, readings 2000..4000: learner / ablation MAE %.3f%n",
                learnerError[0] / ablationError);
        assertTrue(learnerError[0] < 0.5 * ablationError, "the learner halves the linear path's error: "
                + learnerError[0] + " against " + ablationError);
        assertTrue(states[0].gain(0) > 0.5, "and uses its correction: gain " + states[0].gain(0));
    }

    /**
     * The per-key state counted by hand for D = 1, m = 24, AR(8), the default network (LSTM, H = 32, k2 = 16).
     * Linear path: the combination's forecasts and errors of its 4 members (8 doubles, 1 count); persistence
     * nothing; seasonal persistence its ring (24, 1 count); AR(8): RLS on 9 coefficients (9 + 81), 8 lags and
     * 6 per-channel figures (9 + 45 + 8 + 6 = 68: P is kept as its upper triangle, 9 x 10 / 2, 1 count);
     * Holt-Winters: 27 candidates' level, trend and recent error (81 doubles) and 3 seasonal groups of 24
     * seasons in float (72 floats, 1 count): 8 + 24 + 68 + 81 = 181 doubles, 72 floats, 4 counters. (Before: P whole, 81; 27 candidates with
     * their own 24 seasons and forecasts, 27 x 26 + 54 = 756 and 28 counts: 892 doubles, 31 counters.)
     * Recurrent part: inputs D (1 + 1 + 4) = 6, S = 2 H = 64; hidden state and anchor 128, window
     * 16 x (6 + 1) = 112, normaliser 2 x 6, last input 6, last forecast 1: 259 doubles, 6 counters; residual
     * normaliser 2, last base, last correction, the gain's two moments 4: 6 doubles, 3 counters.
     */
    @Test
    void theKeyStateSizeIsCountedByHand() {
        HybridForecaster learner = new HybridForecaster(ModelScope.SHARED, config(24), 24, 8, true,
                ModelRepository.inMemory(), 10);
        HybridForecaster ablation = new HybridForecaster(ModelScope.SHARED, config(24), 24, 8, false,
                ModelRepository.inMemory(), 10);
        long linearDoubles = 8 + 24 + (9 + 45 + 8 + 6) + 27 * 3;
        long linearCounters = 1 + 1 + 1 + 1;
        assertEquals(new StateSize(linearDoubles, 3 * 24, linearCounters), ablation.keyStateSize());
        assertEquals(new StateSize(linearDoubles + 259 + 6, 3 * 24, linearCounters + 6 + 3), learner.keyStateSize());
        assertEquals(8 * (446 + 13) + 4 * 72, learner.keyStateSize().bytes());
        System.out.printf("key state, D = 1, m = 24, AR(8), LSTM H = 32: %s%n", learner.keyStateSize());
    }

    /**
     * The same for D = 8: the linear path is per channel (8 x (181 doubles + 72 floats): 1448 doubles,
     * 576 floats, 4 counters); the network reads 8 x 6 = 48
     * inputs: hidden state and anchor 128, window 16 x (48 + 8) = 896, normaliser 96, last input 48, last
     * forecast 8 (1176, 6 counters); residual normaliser and the four per-channel arrays 6 x 8 = 48, 3
     * counters.
     */
    @Test
    void theKeyStateSizeOfEightChannelsIsCountedByHand() {
        LearnerConfig config = HybridForecaster.networkConfig(LearnerConfig.builder().build(), 8, 24, 1.0);
        HybridForecaster learner = new HybridForecaster(ModelScope.SHARED, config, 24, 8, true,
                ModelRepository.inMemory(), 10);
        StateSize size = learner.keyStateSize();
        assertEquals(new StateSize(1448 + 1176 + 48, 576, 4 + 6 + 3), size);
        System.out.printf("key state, D = 8, m = 24, AR(8), LSTM H = 32: %s%n", size);
    }
}
