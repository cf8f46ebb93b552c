package io.rnnstreams.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.eval.ClassicalForecasters;
import io.rnnstreams.eval.ErrorWeightedCombination;
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
}
