package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The exported state has the same size after 1,000 and after 100,000 readings. */
class BoundedMemoryTest {
    @Test
    void exportedStateSizeDoesNotGrowWithReadings() {
        LearnerConfig config = LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(2).hiddenSizes(16).cellType(CellType.LSTM).build())
                .k1(8).k2(16).build();
        Learner learner = new Learner(config);
        long after1k = 0;
        for (int t = 0; t < 100_000; t++) {
            learner.observe(new double[] {Math.sin(t * 0.05), t % 11});
            if (t == 999) {
                after1k = doubles(learner.exportState());
            }
        }
        long after100k = doubles(learner.exportState());
        System.out.printf("exported state: %d numbers after 1,000 readings, %d after 100,000%n", after1k, after100k);
        assertEquals(after1k, after100k);
        // and it is what the configuration says: P weights + 2P Adam moments + per-key O(k2 (D + O) + S + D)
        int p = learner.model().network().parameterCount();
        int s = 2 * 16;
        long expected = p + 2L * p + (s + s + 16 * 2 + 16 * 2 + 2 + 2 + 2 + 2);
        assertEquals(expected, after100k);
    }

    static long doubles(Learner.LearnerSnapshot s) {
        return s.model().parameters().length + s.model().optimizerState().length + s.sequence().hiddenState().length
                + s.sequence().anchor().length + s.sequence().windowInputs().length
                + s.sequence().windowTargets().length + s.sequence().normaliserMean().length
                + s.sequence().normaliserM2().length + s.sequence().lastInput().length
                + s.sequence().lastForecast().length;
    }
}
