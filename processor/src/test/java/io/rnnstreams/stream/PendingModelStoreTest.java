package io.rnnstreams.stream;

import static io.rnnstreams.stream.TopologyFixture.reading;
import static io.rnnstreams.stream.TopologyFixture.time;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.ModelState;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.ModelScope;
import java.nio.file.Path;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PendingWritesStore} (the model store): the shared model, written once per commit, is in the model store at every commit as it
 * is in memory. The {@code TopologyTestDriver} commits after every input record through Kafka Streams' own
 * {@code StreamTask.prepareCommit}, so after each record the stored model must count every training the metrics
 * counted: if a Kafka Streams version stopped calling the store's {@code flushCache} before a commit, the model would
 * never be written and this fails.
 */
class PendingModelStoreTest {
    static final int K = 3;
    static final int N = 60;

    @TempDir
    Path stateDir;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theStoreHoldsTheModelInMemoryAtEveryCommit(boolean hybrid) {
        StreamSettings settings = hybrid ? HybridStreamTest.settings(ModelScope.SHARED)
                : TopologyFixture.settings(ModelScope.SHARED);
        try (TopologyFixture f = new TopologyFixture(settings, stateDir)) {
            KeyValueStore<String, ModelState> models = f.driver.getKeyValueStore(ForecastTopology.MODEL_STORE);
            long trainings = 0;
            for (int t = 0; t < N; t++) {
                for (int k = 0; k < K; k++) {
                    f.send("sensor-" + k, time(t), reading(k, t));
                    double updates = ForecastTopologyTest.metric(f, "updates-total");
                    double restores = ForecastTopologyTest.metric(f, "restores-total");
                    ModelState stored = models.get(ModelScope.SHARED_STORE_KEY);
                    if (updates + restores == 0) {
                        continue;
                    }
                    assertNotNull(stored, "reading " + t + " of sensor-" + k + ": the trained model is not stored");
                    assertEquals(updates, stored.getUpdates(), 0.0, "reading " + t + " of sensor-" + k);
                    assertEquals(restores, stored.getRestores(), 0.0, "reading " + t + " of sensor-" + k);
                    trainings = stored.getUpdates() + stored.getRestores();
                }
            }
            assertTrue(trainings > 10, "the run trained " + trainings + " times: too few to tell");
        }
    }
}
