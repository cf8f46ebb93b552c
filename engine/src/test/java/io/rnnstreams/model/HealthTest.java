package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Numerical health: a diverging configuration never emits a non-finite number; restores are counted. */
class HealthTest {
    private static LearnerConfig diverging(OptimizerConfig optimizer) {
        return LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(1).hiddenSizes(16).cellType(CellType.LSTM).build())
                .k1(4).k2(8).optimizer(optimizer).clipping(GradientClipping.NONE).build();
    }

    @Test
    void learningRateOfAMillionNeverYieldsANonFiniteForecast() {
        for (OptimizerConfig optimizer : new OptimizerConfig[] {OptimizerConfig.sgd(1e6), OptimizerConfig.adam(1e6)}) {
            Learner learner = new Learner(diverging(optimizer));
            for (int t = 0; t < 20_000; t++) {
                double[] f = learner.observe(new double[] {Math.sin(t * 0.157) * 50}).forecast();
                assertTrue(Double.isFinite(f[0]), optimizer + ": non-finite forecast at reading " + t);
                for (double[] k : learner.forecast(3)) {
                    assertTrue(Double.isFinite(k[0]), optimizer + ": non-finite rollout at reading " + t);
                }
            }
            for (double w : learner.exportState().model().parameters()) {
                assertTrue(Double.isFinite(w), "weights stay finite");
            }
            System.out.printf("lr=1e6 %s: %d updates applied, %d restored%n", optimizer,
                    learner.model().updates(), learner.model().restores());
            if (optimizer.kind() == OptimizerConfig.Kind.SGD) {
                assertTrue(learner.model().restores() > 0, "SGD at lr 1e6 overflows and must be restored");
            }
        }
    }

    @Test
    void badReadingIsRejectedAndLeavesTheStateUntouched() {
        Learner learner = new Learner(diverging(OptimizerConfig.adam(0.01)));
        for (int t = 0; t < 50; t++) {
            learner.observe(new double[] {t});
        }
        Learner.LearnerSnapshot before = learner.exportState();
        assertThrows(IllegalArgumentException.class, () -> learner.observe(new double[] {Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> learner.observe(new double[] {1, 2}));
        Learner.LearnerSnapshot after = learner.exportState();
        DeterminismTest.assertSameState(before, after);
        assertArrayEquals(before.sequence().lastForecast(), after.sequence().lastForecast(), 0.0);
    }
}
