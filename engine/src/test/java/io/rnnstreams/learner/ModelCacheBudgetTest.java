package io.rnnstreams.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.model.CellType;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.NetworkConfig;
import io.rnnstreams.model.OptimizerConfig;
import io.rnnstreams.model.SequenceState;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 5: key scope's model cache is bounded per process in bytes, across every task, and eviction
 * changes no forecast.
 */
class ModelCacheBudgetTest {
    static final LearnerConfig CONFIG = LearnerConfig.builder()
            .network(NetworkConfig.builder().inputSize(1).hiddenSizes(8).cellType(CellType.LSTM).seed(5).build())
            .k1(4).k2(8).optimizer(OptimizerConfig.adam(0.01)).build();
    static final int TASKS = 3;
    static final int KEYS_PER_TASK = 12;

    /** Forecasts of every key at every step, with the given budget; checks the bound after every reading. */
    private static Map<String, double[]> run(ModelCacheBudget budget, long modelBytes) {
        KeyedForecaster[] tasks = new KeyedForecaster[TASKS];
        for (int i = 0; i < TASKS; i++) {
            tasks[i] = new KeyedForecaster(ModelScope.KEY, CONFIG, ModelRepository.inMemory(), 1000, budget, null);
        }
        Map<String, SequenceState> sequences = new HashMap<>();
        Map<String, Long> versions = new HashMap<>();
        Map<String, double[]> forecasts = new HashMap<>();
        for (int t = 0; t < 40; t++) {
            for (int i = 0; i < TASKS; i++) {
                for (int k = 0; k < KEYS_PER_TASK; k++) {
                    String key = "task" + i + "-key" + k;
                    SequenceState seq = sequences.computeIfAbsent(key, x -> new SequenceState(CONFIG));
                    KeyedForecaster.Step step = tasks[i].observe(key, versions.getOrDefault(key, 0L), seq,
                            new double[] {Math.sin(0.2 * t + k + i)});
                    versions.put(key, step.modelVersion());
                    forecasts.put(key + "@" + t, step.observation().forecast());
                    long sum = 0;
                    for (KeyedForecaster f : tasks) {
                        sum += f.cachedModelBytes();
                    }
                    assertEquals(budget.used(), sum, "the budget counts every task's cache");
                    assertTrue(budget.used() <= Math.max(budget.limit(), 0) + TASKS * modelBytes
                            || budget.limit() == Long.MAX_VALUE,
                            "cached " + budget.used() + " bytes, budget " + budget.limit());
                }
            }
        }
        for (KeyedForecaster f : tasks) {
            f.close();
        }
        assertEquals(0, budget.used(), "closing every task returns every byte");
        return forecasts;
    }

    @Test
    void theCacheStaysWithinTheProcessBudgetAndEvictionChangesNoForecast() {
        long modelBytes = 4L * 8 * new io.rnnstreams.model.Model(CONFIG).network().parameterCount();
        ModelCacheBudget unbounded = ModelCacheBudget.unbounded();
        Map<String, double[]> reference = run(unbounded, modelBytes);
        ModelCacheBudget small = new ModelCacheBudget(5 * modelBytes);
        Map<String, double[]> bounded = run(small, modelBytes);
        assertEquals(reference.keySet(), bounded.keySet());
        for (String k : reference.keySet()) {
            assertArrayEquals(reference.get(k), bounded.get(k), 0.0, k);
        }
    }
}
