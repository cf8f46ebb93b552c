package io.rnnstreams.stream;

import static io.rnnstreams.stream.TopologyFixture.reading;
import static io.rnnstreams.stream.TopologyFixture.time;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.learner.ModelScope;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PendingWritesStore} as the topology's key-state store, its writes and reads around a commit of Kafka
 * Streams' own ({@code TopologyTestDriver}, which commits after every input record through
 * {@code StreamTask.prepareCommit}): the processor ({@link PendingWritesStore#latest}) sees a pending write,
 * every other reader the last commit; the commit writes the pending values; a delete drops a pending write.
 */
class PendingWritesStoreTest {
    @TempDir
    Path stateDir;

    @Test
    @SuppressWarnings("unchecked")
    void pendingWritesAreTheProcessorsUntilTheCommitWritesThemAndADeleteDropsOne() {
        try (TopologyFixture f = new TopologyFixture(HybridStreamTest.settings(ModelScope.SHARED), stateDir)) {
            f.send("sensor-0", time(0), reading(0, 0));
            PendingWritesStore<KeyState> store =
                    (PendingWritesStore<KeyState>) f.driver.<String, KeyState>getKeyValueStore(
                            ForecastTopology.KEY_STATE_STORE);
            KeyState committed = store.get("sensor-0");
            assertNotNull(committed, "the commit after the reading wrote its key state");
            assertEquals(0, store.pendingCount());

            KeyState changed = KeyState.newBuilder(committed).setAnomalyScore(42.0).build();
            store.putAtCommit("sensor-0", () -> changed);
            store.putAtCommit("written", () -> changed);
            store.putAtCommit("deleted", () -> changed);
            assertSame(changed, store.latest("sensor-0"), "the processor reads its pending write");
            assertEquals(committed, store.get("sensor-0"), "any other reader reads the last commit");
            assertNull(store.get("written"), "any other reader reads the last commit");
            assertNull(store.delete("deleted"));
            assertNull(store.latest("deleted"), "a delete drops the pending write");
            assertEquals(2, store.pendingCount());

            f.send("sensor-1", time(1), reading(1, 1));
            assertEquals(0, store.pendingCount(), "the commit wrote the pending writes");
            assertEquals(changed, store.get("sensor-0"));
            assertEquals(changed, store.get("written"));
            assertNull(store.get("deleted"), "the deleted key's pending write was not written at the commit");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void beyondTheBoundTheLeastRecentlyWrittenKeyIsWrittenAtOnce() {
        try (TopologyFixture f = new TopologyFixture(HybridStreamTest.settings(ModelScope.SHARED), stateDir)) {
            f.send("sensor-0", time(0), reading(0, 0));
            PendingWritesStore<KeyState> store = (PendingWritesStore<KeyState>) f.driver.<String, KeyState>
                    getKeyValueStore(ForecastTopology.KEY_STATE_STORE);
            KeyState value = store.get("sensor-0");
            for (int k = 0; k < PendingWritesStore.MAX_PENDING; k++) {
                store.putAtCommit("key-" + k, () -> value);
            }
            store.putAtCommit("key-0", () -> value);
            assertEquals(PendingWritesStore.MAX_PENDING, store.pendingCount());
            assertNull(store.get("key-1"));

            store.putAtCommit("one-more", () -> value);
            assertEquals(PendingWritesStore.MAX_PENDING, store.pendingCount(), "the bound holds");
            assertEquals(value, store.get("key-1"), "key-1, written least recently, is in the store at once");
            assertNull(store.get("key-0"), "key-0 was written again since: it still waits");
            assertNull(store.get("key-2"));

            f.send("sensor-1", time(1), reading(1, 1));
            assertEquals(0, store.pendingCount());
            assertEquals(value, store.get("key-0"));
            assertEquals(value, store.get("one-more"));
        }
    }
}
