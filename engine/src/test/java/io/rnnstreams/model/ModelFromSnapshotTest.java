package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A model built from a snapshot ({@link Model#Model(LearnerConfig, Model.TrainingScratch, ModelSnapshot)}) skips the
 * seeded initialisation; it must hold exactly the snapshot and then forecast and train bit for bit as the model the
 * snapshot came from (issue 12 item 4: the O(G H^3) initialisation is paid once per configuration, not per key).
 */
class ModelFromSnapshotTest {

    @ParameterizedTest
    @EnumSource(CellType.class)
    void aModelFromTheSeededSnapshotForecastsAndTrainsBitForBitAsASeededModel(CellType cell) {
        for (boolean residual : new boolean[] {true, false}) {
            LearnerConfig config = LearnerConfig.builder()
                    .network(NetworkConfig.builder().inputSize(2).hiddenSizes(8).cellType(cell).seed(5).build())
                    .k1(4).k2(8).optimizer(OptimizerConfig.adam(0.01)).residual(residual).build();
            Model seeded = new Model(config);
            Model copy = new Model(config, null, seeded.exportState());
            assertSnapshotsEqual(seeded.exportState(), copy.exportState());
            OnlineForecaster forecaster = new OnlineForecaster(config);
            SequenceState a = new SequenceState(config);
            SequenceState b = new SequenceState(config);
            for (int t = 0; t < 300; t++) {
                double[] x = {Math.sin(0.1 * t), Math.cos(0.07 * t) * 3 + 10};
                assertArrayEquals(forecaster.observe(seeded, a, x).forecast(), forecaster.observe(copy, b, x).forecast(),
                        cell + " residual " + residual + ": forecast at " + t);
            }
            assertTrue(copy.updates() > 50, "trained: " + copy.updates());
            assertSnapshotsEqual(seeded.exportState(), copy.exportState());
        }
    }

    private static void assertSnapshotsEqual(ModelSnapshot want, ModelSnapshot got) {
        assertArrayEquals(want.parameters(), got.parameters());
        assertArrayEquals(want.optimizerState(), got.optimizerState());
        assertEquals(want.optimizerSteps(), got.optimizerSteps());
        assertEquals(want.updates(), got.updates());
        assertEquals(want.restores(), got.restores());
    }
}
